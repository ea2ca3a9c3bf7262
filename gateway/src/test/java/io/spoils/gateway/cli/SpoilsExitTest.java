package io.spoils.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.PixelSpacing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Every way a command can fail ends in one line on stderr and an exit code, never a stack trace:
 * hostile DICOM through {@code dicom-info}, and the JVM's own errors (a real stack overflow, a
 * real out-of-memory refusal) thrown by a command.
 */
class SpoilsExitTest {
  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void dicomInfo_bigEndianHugeRowsTwoPixelBytes_oneLineExit2() throws Exception {
    Path file = dir.resolve("huge.dcm");
    Files.write(file, hugeBigEndian());
    assertTrue(Files.size(file) < 2048, "a small file");
    int code = Spoils.run(new String[] {"dicom-info", file.toString()}, writer(out), writer(err));
    assertEquals(Spoils.EXIT_BAD_INPUT, code);
    String line = oneLine();
    assertTrue(line.startsWith(file + ": error: pixel data holds 2 bytes, fewer than the 536870912"),
        line);
  }

  @Test
  void run_commandOverflowsItsStack_oneLineExit2() {
    assertEquals(Spoils.EXIT_BAD_INPUT, withCommand(new Overflowing(), "overflow"));
    assertEquals("spoils: the input is nested too deeply to process (stack overflow)", oneLine());
  }

  @Test
  void run_commandRunsOutOfMemory_oneLineExit2() {
    assertEquals(Spoils.EXIT_BAD_INPUT, withCommand(new Exhausting(), "exhaust"));
    assertTrue(oneLine().startsWith("spoils: out of memory: the input needs more memory than this "
        + "JVM has"), err::toString);
  }

  @Test
  void run_portInUse_oneLineExit2() {
    assertEquals(Spoils.EXIT_BAD_INPUT, withCommand(new Binding(), "bind"));
    assertTrue(oneLine().startsWith("spoils: cannot listen on the configured host and port: it is "
        + "in use"), err::toString);
  }

  @Test
  void run_commandFailsInternally_oneLineExit1WithoutClassName() {
    assertEquals(Spoils.EXIT_FAILURE, withCommand(new Failing(), "fail"));
    assertEquals("spoils: internal error; rerun with SPOILS_DEBUG=1 for details", oneLine());
  }

  private int withCommand(Object command, String name) {
    CommandLine cli = Spoils.commandLine().addSubcommand(name, command);
    return Spoils.run(cli, new String[] {name}, writer(out), writer(err));
  }

  /** The one line on stderr; fails on more, or on anything that looks like a stack trace. */
  private String oneLine() {
    String text = err.toString().strip();
    assertEquals(1, text.lines().count(), () -> "stderr was: " + text);
    assertFalse(text.contains("Exception") || text.contains("Error") || text.contains("\tat "),
        () -> "stderr was: " + text);
    return text;
  }

  private static PrintWriter writer(StringWriter w) {
    return new PrintWriter(w, true);
  }

  /** A 16-bit big endian MR file declaring Rows = Columns = 16384 and holding two pixel bytes. */
  private static byte[] hugeBigEndian() throws Exception {
    byte[] small = DicomWriter.writeMr(new GreyImage(2, 2, new float[4], new PixelSpacing(1, 1)),
        MrParams.of(DicomWriter.newUid()));
    AttributeList l = new AttributeList();
    l.read(new DicomInputStream(new ByteArrayInputStream(small)));
    l.get(TagFromName.Rows).setValue(16384);
    l.get(TagFromName.Columns).setValue(16384);
    l.getPixelData().setValues(new short[1]);
    FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRBigEndian, "SPOILS");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    l.write(bytes, TransferSyntax.ExplicitVRBigEndian, true, true);
    return bytes.toByteArray();
  }

  @Command(name = "overflow")
  static final class Overflowing implements Callable<Integer> {
    @Override
    public Integer call() {
      return deeper(0);
    }

    private int deeper(int n) {
      return deeper(n + 1) + 1;
    }
  }

  @Command(name = "exhaust")
  static final class Exhausting implements Callable<Integer> {
    @Override
    public Integer call() {
      // more than any heap: the JVM refuses it at once, allocating nothing
      long[][] all = new long[Integer.MAX_VALUE][Integer.MAX_VALUE];
      return all.length;
    }
  }

  /** Binds a port that a socket of its own already holds, as a second server would. */
  @Command(name = "bind")
  static final class Binding implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      try (java.net.ServerSocket first = new java.net.ServerSocket(0, 1,
          java.net.InetAddress.getLoopbackAddress());
          java.net.ServerSocket second = new java.net.ServerSocket()) {
        second.bind(first.getLocalSocketAddress());
      } catch (java.net.BindException e) {
        // as a server start reports it: wrapped by the future that failed
        throw new java.util.concurrent.CompletionException(e);
      }
      return 0;
    }
  }

  @Command(name = "fail")
  static final class Failing implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalStateException("a fault of ours");
    }
  }
}
