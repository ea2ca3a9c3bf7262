package io.spoils.gateway.service;

import io.spoils.feature.InvalidInputException;
import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The audit log: one JSON line per analysis outcome on the {@value #LOGGER} logger, whichever
 * entry point ran it: {@code time}, {@code request_id}, {@code analysis_id} (null when it was
 * refused before it started), {@code principal}, {@code entry_point}, {@code outcome}
 * ({@code OK} or the {@link FailureCode} name), {@code grpc_status}, {@code http_status},
 * {@code duration_ms} (from arrival to outcome) and {@code discs} (disc results sent). Never a
 * patient name, ID or birth date, a file name, a failure's message or a credential.
 */
public final class AuditLog {

  public static final String LOGGER = "io.spoils.audit";
  private static final Logger LOG = Logger.getLogger(LOGGER);
  private static volatile Level level = Level.INFO;

  private AuditLog() {}

  /** The level lines are logged at ({@code auditLogLevel}; default INFO). */
  public static void level(Level value) {
    level = value;
  }

  /**
   * Logs one outcome ({@link AnalysisService} does for every analysis it is given; an entry point
   * that refuses a study before handing it over, such as a C-STORE series over the limits, calls
   * it itself).
   *
   * @param analysisId null when the analysis never started
   * @param failure null when it succeeded
   * @param startNanos {@link System#nanoTime()} at arrival
   */
  public static void outcome(Caller caller, String analysisId, Throwable failure, long startNanos,
      int discs) {
    Level l = level;
    if (l == Level.OFF || !LOG.isLoggable(l)) {
      return;
    }
    FailureCode code = failure == null ? null : code(failure);
    JsonObject line = new JsonObject().put("time", Instant.now().toString())
        .put("request_id", caller.requestId()).put("analysis_id", analysisId)
        .put("principal", caller.principal().orElse(null))
        .put("entry_point", caller.entryPoint())
        .put("outcome", code == null ? "OK" : code.name())
        .put("grpc_status", code == null ? "OK" : code.grpc().name())
        .put("http_status", code == null ? 200 : code.http())
        .put("duration_ms", Math.round((System.nanoTime() - startNanos) / 1e4) / 100.0)
        .put("discs", discs);
    LOG.log(l, line.encode());
  }

  /** The code of {@code failure}, as {@code Failure.of} decides it, without logging. */
  static FailureCode code(Throwable failure) {
    if (failure instanceof AnalysisException a) {
      return a.code();
    }
    return failure instanceof InvalidInputException ? FailureCode.INVALID_INPUT
        : FailureCode.INTERNAL;
  }
}
