package io.inferis.cache;

import io.inferis.InferisException;

/** An operation met a key holding another type (a value where a window was expected, or back). */
public class WrongTypeException extends InferisException {

  private static final long serialVersionUID = 1L;

  /** An exception naming the key. */
  public WrongTypeException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An exception naming the key. */
  public WrongTypeException(String message) {
    super(message);
  }
}
