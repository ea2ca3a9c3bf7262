package io.spoils.gateway.server;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures what the process logs while a test runs: every java.util.logging record (Vert.x, Netty
 * through slf4j-jdk14, and SPOILS itself log there) with its exception chain, plus everything
 * written to {@code System.out} and {@code System.err} (still passed through).
 */
final class LogCapture implements AutoCloseable {

  private final StringBuffer text = new StringBuffer();
  private final Logger root = Logger.getLogger("");
  private final Logger spoils = Logger.getLogger("io.spoils");
  private final Level spoilsLevel = spoils.getLevel();
  private final PrintStream out = System.out;
  private final PrintStream err = System.err;
  private final Handler handler = new Handler() {
    private final SimpleFormatter format = new SimpleFormatter();

    @Override
    public void publish(LogRecord record) {
      text.append(format.format(record));
      for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
        text.append(t).append('\n');
      }
    }

    @Override
    public void flush() { }

    @Override
    public void close() { }
  };

  private LogCapture() {
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    spoils.setLevel(Level.ALL);
    System.setOut(tee(out));
    System.setErr(tee(err));
  }

  static LogCapture start() {
    return new LogCapture();
  }

  /** Everything captured so far. */
  String text() {
    return text.toString();
  }

  private PrintStream tee(PrintStream original) {
    return new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        original.write(b);
        text.append((char) b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        original.write(b, off, len);
        text.append(new String(b, off, len, StandardCharsets.UTF_8));
      }
    }, true, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    root.removeHandler(handler);
    spoils.setLevel(spoilsLevel);
    System.setOut(out);
    System.setErr(err);
  }
}
