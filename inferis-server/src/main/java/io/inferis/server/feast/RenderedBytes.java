package io.inferis.server.feast;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * Where a JSON generator's output lands: the generator fills a buffer of its own and writes it here
 * when full or closed, so an answer that fits that buffer (every small lookup) arrives in one
 * write, kept as an array of its exact size. Compared with a {@link java.io.ByteArrayOutputStream}
 * that is one allocation and one copy per answer instead of three and two. Not thread-safe.
 */
final class RenderedBytes extends OutputStream {

  private static final byte[] NONE = {};

  private final int sizeHint;
  private byte[] bytes = NONE;
  private int size;

  /** {@code sizeHint}: the room to make when a second write shows the answer is large. */
  RenderedBytes(int sizeHint) {
    this.sizeHint = sizeHint;
  }

  @Override
  public void write(int b) {
    room(1);
    bytes[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (bytes == NONE) { // the first write: kept as it is
      bytes = Arrays.copyOfRange(b, off, off + len);
      size = len;
      return;
    }
    room(len);
    System.arraycopy(b, off, bytes, size, len);
    size += len;
  }

  private void room(int more) {
    int needed = size + more;
    if (needed > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(needed, Math.max(sizeHint, 2 * bytes.length)));
    }
  }

  /** What was written; the array itself when it is exactly that. */
  byte[] toByteArray() {
    return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
  }
}
