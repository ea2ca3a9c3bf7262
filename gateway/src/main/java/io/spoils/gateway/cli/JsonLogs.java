package io.spoils.gateway.cli;

import io.spoils.gateway.config.AuditOptions;
import io.spoils.gateway.service.AuditLog;
import java.io.PrintStream;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code serve}'s access and audit logs as JSON lines: the loggers {@code io.spoils.access} and
 * {@code io.spoils.audit} write each record's message (one JSON object) alone on a line of
 * standard output, at the levels {@link AuditOptions} set ({@code off}: none), whatever the
 * root logger's level. Other logging is left as it is (stderr, warnings only by default).
 */
final class JsonLogs {

  static final String ACCESS = "io.spoils.access";
  static final String AUDIT = AuditLog.LOGGER;

  /** Strong references: java.util.logging forgets the configuration of a collected logger. */
  private static final List<Logger> LOGGERS = List.of(Logger.getLogger(ACCESS),
      Logger.getLogger(AUDIT));

  private JsonLogs() {}

  /** Routes both loggers to {@code out} at {@code options}' levels. */
  static void install(AuditOptions options, PrintStream out) {
    Handler lines = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (isLoggable(r)) {
          synchronized (out) {
            out.println(r.getMessage());
            out.flush();
          }
        }
      }

      @Override
      public void flush() {
        out.flush();
      }

      @Override
      public void close() { }
    };
    lines.setLevel(Level.ALL);
    configure(LOGGERS.get(0), options.access().jul(), lines);
    configure(LOGGERS.get(1), options.audit().jul(), lines);
    AuditLog.level(options.audit().jul());
  }

  private static void configure(Logger logger, Level level, Handler handler) {
    for (Handler h : logger.getHandlers()) {
      logger.removeHandler(h);
    }
    logger.setUseParentHandlers(false);
    logger.setLevel(level);
    logger.addHandler(handler);
  }
}
