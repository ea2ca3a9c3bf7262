package io.spoils.gateway.config;

import io.spoils.feature.InvalidInputException;
import java.util.List;
import java.util.Locale;

/**
 * The access and audit logs ({@code server.AccessLog}, {@code service.AuditLog}): JSON lines on
 * the loggers {@code io.spoils.access} (one per answered request) and {@code io.spoils.audit}
 * (one per analysis outcome), written by {@code spoils serve} to standard output, one object per
 * line, at the levels set here.
 *
 * @param access level of the access lines (default {@code info})
 * @param audit level of the audit lines (default {@code info})
 */
public record AuditOptions(Level access, Level audit) {

  /** The level a kind of line is logged at; {@link #OFF} writes none. */
  public enum Level {
    OFF(java.util.logging.Level.OFF), DEBUG(java.util.logging.Level.FINE),
    INFO(java.util.logging.Level.INFO), WARNING(java.util.logging.Level.WARNING);

    private final java.util.logging.Level jul;

    Level(java.util.logging.Level jul) {
      this.jul = jul;
    }

    /** The java.util.logging level. */
    public java.util.logging.Level jul() {
      return jul;
    }

    /** @throws InvalidInputException for anything but off, debug, info or warning */
    public static Level parse(String key, String value) {
      for (Level l : values()) {
        if (l.name().equalsIgnoreCase(value.trim())) {
          return l;
        }
      }
      throw new InvalidInputException(key + " must be off, debug, info or warning");
    }

    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The settings, as the README's table shows them. */
  public static final List<Setting> SETTINGS = List.of(
      Setting.of("AuditOptions", "accessLogLevel", "info", "level of the JSON access lines "
          + "(one per request, logger `io.spoils.access`): off, debug, info or warning"),
      Setting.of("AuditOptions", "auditLogLevel", "info", "level of the JSON audit lines "
          + "(one per analysis outcome, logger `io.spoils.audit`): off, debug, info or warning"));

  public AuditOptions {
    if (access == null || audit == null) {
      throw new InvalidInputException("accessLogLevel and auditLogLevel must be given");
    }
  }

  /** Both at INFO. */
  public static AuditOptions defaults() {
    return new AuditOptions(Level.INFO, Level.INFO);
  }
}
