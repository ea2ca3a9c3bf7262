package io.spoils.feature.dicom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

/**
 * What every refusal's message must be, since callers see it and logs keep it: a reason on one
 * line, without a Java class name or package. Test-only.
 */
final class Messages {
  /** A simple class name of an exception or error, or a qualified Java name. */
  private static final Pattern JAVA_NAME =
      Pattern.compile("\\b[A-Z][A-Za-z0-9]*(Exception|Error)\\b|\\b(java|javax|com|io|org)\\.[a-z]");

  private Messages() {}

  static void assertFitForCallers(String message) {
    assertTrue(message != null && !message.isBlank(), "blank reason");
    assertFalse(message.contains("\n") || message.contains("\r"), () -> "several lines: " + message);
    assertFalse(JAVA_NAME.matcher(message).find(), () -> "names a Java class: " + message);
  }
}
