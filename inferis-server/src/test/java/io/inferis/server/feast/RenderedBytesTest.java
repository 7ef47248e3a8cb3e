package io.inferis.server.feast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What {@link RenderedBytes} returns is exactly what was written, however it was written. */
class RenderedBytesTest {

  @Test
  void nothingWrittenIsEmpty() {
    assertThat(new RenderedBytes(64).toByteArray()).isEmpty();
  }

  @Test
  void oneWriteIsKeptAtItsExactSize() {
    byte[] source = "xx{\"results\":[]}yy".getBytes(StandardCharsets.UTF_8);
    RenderedBytes out = new RenderedBytes(1024);

    out.write(source, 2, source.length - 4);

    assertThat(out.toByteArray())
        .isEqualTo(Arrays.copyOfRange(source, 2, source.length - 2))
        .hasSize(source.length - 4);
  }

  @Test
  void writesOfEverySizeAddUpToTheSameBytes() {
    Random random = new Random(17);
    for (int round = 0; round < 200; round++) {
      int hint = random.nextInt(20_000);
      RenderedBytes out = new RenderedBytes(hint);
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      int writes = 1 + random.nextInt(12);
      for (int w = 0; w < writes; w++) {
        if (random.nextInt(4) == 0) {
          int b = random.nextInt(256);
          out.write(b);
          expected.write(b);
        } else {
          byte[] chunk = new byte[random.nextInt(9_000)];
          random.nextBytes(chunk);
          int off = chunk.length == 0 ? 0 : random.nextInt(chunk.length);
          int len = chunk.length - off;
          out.write(chunk, off, len);
          expected.write(chunk, off, len);
        }
      }
      assertThat(out.toByteArray())
          .as("round %d, hint %d", round, hint)
          .isEqualTo(expected.toByteArray());
    }
  }

  @Test
  void aGeneratorFlushingSeveralTimesWritesWhatItWouldToAnyStream() throws IOException {
    // Larger than the generator's own buffer, so it reaches the stream in several writes.
    assertThat(render(new RenderedBytes(100)).toByteArray())
        .isEqualTo(render(new ByteArrayOutputStream()).toByteArray());
  }

  /** The stream's own copy: a later change to the written array must not show. */
  @Test
  void keepsItsOwnCopyOfAWrite() {
    byte[] source = {1, 2, 3};
    RenderedBytes out = new RenderedBytes(0);
    out.write(source, 0, 3);
    source[0] = 9;

    assertThat(out.toByteArray()).containsExactly(1, 2, 3);
  }

  private static <T extends OutputStream> T render(T out) throws IOException {
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.writeStartArray();
      for (int i = 0; i < 5_000; i++) {
        g.writeString("value-" + i + "-\u00e9\u4e2d");
      }
      g.writeEndArray();
    }
    return out;
  }
}
