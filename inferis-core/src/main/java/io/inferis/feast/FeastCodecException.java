package io.inferis.feast;

import io.inferis.InferisException;

/**
 * Bytes that are not a valid Feast encoding (a truncated or malformed proto, a bad entity key), or
 * a value that Feast's formats cannot carry (a NaN in JSON). The message says what was being
 * decoded and where it went wrong; it never includes the bytes themselves.
 */
public class FeastCodecException extends InferisException {

  private static final long serialVersionUID = 1L;

  /** An exception with a message that names the problem. */
  public FeastCodecException(String message) {
    super(message);
  }

  /** An exception with a message and the underlying cause. */
  public FeastCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
