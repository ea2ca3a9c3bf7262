package io.spoils.feature.dicom;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An input stream over a buffer's bytes from its position to its limit, without copying them. The
 * buffer should be a private view (the stream moves its position); mark and reset are supported.
 * Not thread-safe.
 */
final class BufferInputStream extends java.io.InputStream {
  private final ByteBuffer buffer;

  BufferInputStream(ByteBuffer buffer) {
    this.buffer = buffer;
  }

  @Override
  public int read() {
    return buffer.hasRemaining() ? buffer.get() & 0xFF : -1;
  }

  @Override
  public int read(byte[] out, int off, int len) {
    Objects.checkFromIndexSize(off, len, out.length);
    if (len == 0) {
      return 0;
    }
    if (!buffer.hasRemaining()) {
      return -1;
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(out, off, n);
    return n;
  }

  @Override
  public long skip(long n) {
    int k = (int) Math.max(0, Math.min(n, buffer.remaining()));
    buffer.position(buffer.position() + k);
    return k;
  }

  @Override
  public int available() {
    return buffer.remaining();
  }

  @Override
  public boolean markSupported() {
    return true;
  }

  @Override
  public synchronized void mark(int readLimit) {
    buffer.mark();
  }

  @Override
  public synchronized void reset() {
    buffer.reset();
  }
}
