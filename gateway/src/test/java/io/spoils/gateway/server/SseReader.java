package io.spoils.gateway.server;

import io.vertx.core.json.JsonObject;
import java.util.Iterator;

/**
 * A frontend-style Server-Sent Events reader over the lines of a response body as they arrive
 * (the JDK client's {@code BodyHandlers.ofLines()}): {@link #next()} blocks until one whole event
 * (up to its blank line) has been received. Only the fields SPOILS sends are kept.
 */
final class SseReader {

  /**
   * One event.
   *
   * @param event the {@code event:} name
   * @param id the {@code id:} value, or null
   * @param data the {@code data:} value
   */
  record Event(String event, String id, String data) {
    JsonObject json() {
      return new JsonObject(data);
    }
  }

  private final Iterator<String> lines;

  SseReader(Iterator<String> lines) {
    this.lines = lines;
  }

  /** The next event, or null at the end of the stream. */
  Event next() {
    String event = "message";
    String id = null;
    StringBuilder data = null;
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.isEmpty()) {
        if (data != null) {
          return new Event(event, id, data.toString());
        }
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
      switch (field) {
        case "event" -> event = value;
        case "id" -> id = value;
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> { }
      }
    }
    if (data != null) {
      throw new IllegalStateException("the stream ended inside an event (no blank line)");
    }
    return null;
  }
}
