package io.inferis.feast;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Every float32 value widened to double, as {@link PythonFloats#repr} prints it, summarised the way
 * {@code src/test/python/float32_repr.py} summarises Python's own {@code repr}: for each block of
 * 2^24 bit patterns, the count of finite values and the SHA-256 of their texts, each followed by a
 * newline. Equal output from both (diff) means every one of the 4,278,190,080 finite float32 values
 * prints as Python prints it. A main, not a test: 2^32 values take about 20 minutes here, Python's
 * side about 50.
 *
 * <p>Usage: {@code java -cp <core test and main classes, jackson-core>
 * io.inferis.feast.Float32ReprCheck [FIRST_BLOCK LAST_BLOCK_EXCLUSIVE]}, blocks 0 to 256.
 */
public final class Float32ReprCheck {

  private static final int BLOCK = 1 << 24;

  private Float32ReprCheck() {}

  public static void main(String[] args) throws Exception {
    int first = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    int last = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] text = new byte[64 * 1024];
    for (int b = first; b < last; b++) {
      sha.reset();
      int n = 0;
      int used = 0;
      for (long bits = (long) b * BLOCK; bits < (long) (b + 1) * BLOCK; bits++) {
        float f = Float.intBitsToFloat((int) bits);
        if (!Float.isFinite(f)) {
          continue;
        }
        String repr = PythonFloats.repr(f);
        if (used + repr.length() + 1 > text.length) {
          sha.update(text, 0, used);
          used = 0;
        }
        for (int i = 0; i < repr.length(); i++) {
          text[used++] = (byte) repr.charAt(i); // ASCII
        }
        text[used++] = '\n';
        n++;
      }
      sha.update(text, 0, used);
      System.out.println(b + " " + n + " " + HexFormat.of().formatHex(sha.digest()));
    }
  }
}
