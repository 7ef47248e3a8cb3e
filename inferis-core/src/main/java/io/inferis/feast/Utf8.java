package io.inferis.feast;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8. Feast's strings are Python strings encoded as UTF-8, which can hold neither an
 * unpaired surrogate nor malformed bytes, so both are rejected instead of replaced with {@code ?}:
 * a replacement would make two different Java strings hash or sort as one.
 */
final class Utf8 {

  private Utf8() {}

  /**
   * Returns {@code text} if it is well-formed UTF-16.
   *
   * @throws IllegalArgumentException naming {@code what} if it has an unpaired surrogate
   */
  static String requireWellFormed(String text, String what) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
        continue;
      }
      throw new IllegalArgumentException(
          what + " has an unpaired surrogate at index " + i + "; Feast strings must be Unicode");
    }
    return text;
  }

  /** The UTF-8 bytes of {@code text}; throws like {@link #requireWellFormed}. */
  static byte[] encode(String text, String what) {
    return requireWellFormed(text, what).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Decodes UTF-8 strictly.
   *
   * @throws FeastCodecException naming {@code what} if the bytes are not valid UTF-8
   */
  static String decode(byte[] bytes, int offset, int length, String what) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new FeastCodecException(what + " is not valid UTF-8", e);
    }
  }
}
