package io.spoils.gateway.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar of {@code spoils analyze --batch-out}, redrawn in place with a carriage
 * return: {@code [#########           ] 3/7 studies, 1 failed}. Drawn only on a terminal (the caller
 * says so: {@link #forTerminal}); otherwise every call does nothing, so logs and pipes never
 * receive control characters. Shows counts only, never identifiers.
 */
final class ProgressBar {

  static final int WIDTH = 30;

  private final PrintWriter to;
  private final boolean enabled;
  private final int total;

  /**
   * @param to where to draw (the command's stderr)
   * @param enabled whether to draw at all
   * @param total the number of studies, &gt;= 1
   */
  ProgressBar(PrintWriter to, boolean enabled, int total) {
    this.to = to;
    this.enabled = enabled;
    this.total = Math.max(1, total);
  }

  /** A bar drawn only when the JVM runs on a terminal (stdin and stdout not redirected). */
  static ProgressBar forTerminal(PrintWriter to, int total) {
    return new ProgressBar(to, System.console() != null, total);
  }

  /** Redraws the bar for {@code done} studies finished, {@code failed} of them failed. */
  void update(int done, int failed) {
    if (!enabled) {
      return;
    }
    to.print("\r" + line(done, failed, total));
    to.flush();
  }

  /** Ends the bar's line. */
  void finish() {
    if (enabled) {
      to.println();
      to.flush();
    }
  }

  /** The bar's text, without control characters. */
  static String line(int done, int failed, int total) {
    int filled = (int) ((long) WIDTH * Math.min(done, total) / Math.max(1, total));
    return String.format(Locale.ROOT, "[%s%s] %d/%d studies%s", "#".repeat(filled),
        " ".repeat(WIDTH - filled), done, total, failed > 0 ? ", " + failed + " failed" : "");
  }
}
