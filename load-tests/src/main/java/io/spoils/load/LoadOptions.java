package io.spoils.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One load test. A run is always bounded: by {@code duration}, by {@code requests}, or by both
 * (whichever ends first), each under a hard cap.
 *
 * @param host server host
 * @param port server port (gRPC and HTTP share it), 1-65535
 * @param protocol how studies are sent
 * @param concurrency closed model: workers, each sending its next study when the previous one
 *     ended; open model: most requests outstanding at once (later arrivals wait, and their latency
 *     still counts from their intended start); 1 to {@value #MAX_CONCURRENCY}
 * @param duration measured time, after the warm-up; empty when {@code requests} bounds the run;
 *     at most {@link #MAX_DURATION}
 * @param requests measured requests, after the warm-up; empty when {@code duration} bounds the run;
 *     1 to {@value #MAX_REQUESTS}
 * @param rate open model: requests started per second at constant spacing, 0 &lt; rate &lt;=
 *     {@value #MAX_RATE}; empty for the closed model
 * @param warmup time of load sent before measuring (its results are discarded), &gt;= 0, at most
 *     {@link #MAX_DURATION}
 * @param timeout deadline of one request (gRPC deadline, HTTP idle timeout), &gt; 0
 * @param odi ODI score sent with every study, 0-100 %, if any (with {@code nrs})
 * @param nrs NRS score sent with every study, 0-10, if any (with {@code odi})
 * @param out folder for report.json, report.html and report.png
 * @param studies the studies, sent round robin
 */
public record LoadOptions(String host, int port, Protocol protocol, int concurrency,
    Duration duration, OptionalLong requests, OptionalDouble rate, Duration warmup,
    Duration timeout, OptionalDouble odi, OptionalInt nrs, Path out, List<Study> studies) {

  /** Wire protocol of the requests. */
  public enum Protocol {
    /** {@code spoils.v1.AnalysisService/Analyze} over HTTP/2. */
    GRPC,
    /** {@code POST /v1/analyses}, one DICOM file per request, NDJSON answer. */
    HTTP
  }

  public static final Duration MAX_DURATION = Duration.ofHours(1);
  public static final long MAX_REQUESTS = 1_000_000;
  public static final int MAX_CONCURRENCY = 10_000;
  public static final double MAX_RATE = 100_000;
  /** Default request deadline. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** @throws IllegalArgumentException with the reason for a value out of range */
  public LoadOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(duration, "duration (Duration.ZERO when unset)");
    Objects.requireNonNull(warmup, "warmup");
    Objects.requireNonNull(out, "out");
    studies = List.copyOf(studies);
    require(!host.isBlank(), "--target needs a host");
    require(port >= 1 && port <= 65535, "--target port must be 1-65535");
    require(concurrency >= 1 && concurrency <= MAX_CONCURRENCY,
        "--concurrency must be 1-" + MAX_CONCURRENCY);
    require(!duration.isZero() || requests.isPresent(),
        "give --duration or --requests: a load test must be bounded");
    require(!duration.isNegative() && duration.compareTo(MAX_DURATION) <= 0,
        "--duration must be at most " + MAX_DURATION.toMinutes() + " minutes");
    require(requests.isEmpty() || (requests.getAsLong() >= 1
        && requests.getAsLong() <= MAX_REQUESTS), "--requests must be 1-" + MAX_REQUESTS);
    require(rate.isEmpty() || (rate.getAsDouble() > 0 && rate.getAsDouble() <= MAX_RATE),
        "--rate must be > 0 and <= " + (long) MAX_RATE);
    require(!warmup.isNegative() && warmup.compareTo(MAX_DURATION) <= 0,
        "--warmup must be 0 to " + MAX_DURATION.toMinutes() + " minutes");
    require(timeout.compareTo(Duration.ZERO) > 0, "--timeout must be positive");
    require(odi.isEmpty() || (odi.getAsDouble() >= 0 && odi.getAsDouble() <= 100),
        "--odi must be 0-100");
    require(nrs.isEmpty() || (nrs.getAsInt() >= 0 && nrs.getAsInt() <= 10), "--nrs must be 0-10");
    require(odi.isPresent() == nrs.isPresent(), "give both --odi and --nrs, or neither");
    require(!studies.isEmpty(), "give at least one STUDY (DICOM file or folder)");
    if (protocol == Protocol.HTTP) {
      for (Study s : studies) {
        require(s.files().size() == 1, "study " + s.name() + " has " + s.files().size()
            + " files, but POST /v1/analyses takes one DICOM file: use --protocol grpc");
      }
    }
  }

  /** Whether the run is an open model (constant arrival rate). */
  public boolean open() {
    return rate.isPresent();
  }

  /** {@code host:port}. */
  public String target() {
    return host + ":" + port;
  }

  private static void require(boolean ok, String reason) {
    if (!ok) {
      throw new IllegalArgumentException(reason);
    }
  }
}
