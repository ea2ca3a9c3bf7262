package io.spoils.gateway.server;

import io.vertx.core.streams.WriteStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Writes items to a {@link WriteStream} without overrunning its write queue: while the stream
 * reports {@code writeQueueFull()}, items wait here and go out on its drain. The pipeline cannot
 * be paused mid-stage, but one study yields only a few dozen events, so this queue is bounded by
 * the study itself. Not thread-safe: use it from the stream's context only.
 *
 * @param <T> the item type
 */
final class QueuedWriter<T> {

  private final WriteStream<T> stream;
  private final Deque<T> pending = new ArrayDeque<>();
  private Consumer<WriteStream<T>> finisher;
  private boolean finished;

  QueuedWriter(WriteStream<T> stream) {
    this.stream = stream;
    stream.drainHandler(v -> flush());
  }

  /** Writes {@code item} now, or after the items before it once the stream has drained. */
  void write(T item) {
    if (finished) {
      return;
    }
    pending.add(item);
    flush();
  }

  /** Runs {@code end} (e.g. end the stream with a status) once every item has been written. */
  void finish(Consumer<WriteStream<T>> end) {
    if (finished || finisher != null) {
      return;
    }
    finisher = end;
    flush();
  }

  private void flush() {
    while (!pending.isEmpty() && !stream.writeQueueFull()) {
      stream.write(pending.poll());
    }
    if (pending.isEmpty() && finisher != null && !finished) {
      finished = true;
      finisher.accept(stream);
    }
  }
}
