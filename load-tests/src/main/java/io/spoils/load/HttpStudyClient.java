package io.spoils.load;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.spoils.proto.v1.AnalysisEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /v1/analyses} (HTTP/1.1, one DICOM file per request) with the Vert.x HTTP client; the
 * NDJSON answer is split into lines, and only the summary line is parsed in full (disc lines are
 * recognised by their field name), to keep the client's own cost low.
 */
final class HttpStudyClient implements StudyClient {

  /** How far into a line the event's field name can be (after id, sequence and elapsed time). */
  private static final int HEAD = 200;

  private final HttpClient http;
  private final List<Buffer> bodies;
  private final RequestOptions request;
  private final JsonFormat.Parser parser = JsonFormat.parser().ignoringUnknownFields();

  HttpStudyClient(Vertx vertx, LoadOptions options) {
    this.http = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setConnectTimeout(10_000).setKeepAlive(true))
        .with(new PoolOptions().setHttp1MaxSize(options.concurrency()))
        .build();
    this.bodies = options.studies().stream()
        .map(s -> Buffer.buffer(s.files().get(0).content())).toList();
    String query = options.odi().isPresent()
        ? "?odi=" + options.odi().getAsDouble() + "&nrs=" + options.nrs().getAsInt() : "";
    this.request = new RequestOptions().setMethod(HttpMethod.POST).setHost(options.host())
        .setPort(options.port()).setURI("/v1/analyses" + query)
        .putHeader("Content-Type", "application/dicom")
        .setIdleTimeout(options.timeout().toMillis());
  }

  @Override
  public Future<Outcome> analyze(int study, long startNanos) {
    EventProbe probe = new EventProbe(startNanos);
    Promise<Outcome> done = Promise.promise();
    http.request(new RequestOptions(request))
        .compose(req -> req.send(bodies.get(study)))
        .onComplete(ar -> {
          if (ar.failed()) {
            done.tryComplete(probe.failed(code(ar.cause())));
          } else if (ar.result().statusCode() != 200) {
            HttpClientResponse resp = ar.result();
            resp.body().onComplete(b -> done.tryComplete(probe.failed("HTTP_" + resp.statusCode())));
          } else {
            stream(ar.result(), probe, done);
          }
        });
    return done.future();
  }

  private void stream(HttpClientResponse resp, EventProbe probe, Promise<Outcome> done) {
    String[] error = new String[1];
    RecordParser lines = RecordParser.newDelimited("\n", line -> {
      String head = line.getString(0, Math.min(HEAD, line.length()));
      if (head.contains("\"disc\":{")) {
        probe.disc();
      } else if (head.contains("\"summary\":{")) {
        AnalysisEvent summary = parse(line.toString());
        if (summary == null) {
          error[0] = "BAD_SUMMARY";
        } else {
          probe.summary(summary);
        }
      } else if (head.startsWith("{\"error\":")) {
        error[0] = "HTTP_" + new JsonObject(line).getJsonObject("error").getValue("status", "ERR");
      }
    });
    resp.handler(lines);
    resp.exceptionHandler(e -> done.tryComplete(probe.failed(code(e))));
    resp.endHandler(v -> done.tryComplete(error[0] != null ? probe.failed(error[0]) : probe.ok()));
  }

  /** The summary event, or null when the line is not an AnalysisEvent. */
  private AnalysisEvent parse(String line) {
    AnalysisEvent.Builder b = AnalysisEvent.newBuilder();
    try {
      parser.merge(line, b);
      return b.build();
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /** {@code TIMEOUT} for the idle timeout, else {@code TRANSPORT}. */
  static String code(Throwable failure) {
    return failure instanceof TimeoutException
        || (failure != null && failure.getClass().getSimpleName().contains("Timeout"))
        ? "TIMEOUT" : "TRANSPORT";
  }

  @Override
  public Future<Void> close() {
    return http.close();
  }
}
