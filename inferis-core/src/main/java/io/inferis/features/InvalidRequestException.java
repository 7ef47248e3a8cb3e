package io.inferis.features;

import io.inferis.InferisException;

/**
 * A lookup or write whose arguments are invalid: a malformed feature reference, an entity row
 * without a join key its views need, a value of the wrong type, no references or no rows. Nothing
 * was read or written. A server answers it as the client's mistake; any other exception from a
 * lookup is not one.
 */
public class InvalidRequestException extends InferisException {

  private static final long serialVersionUID = 1L;

  /** An exception whose message names what is invalid. */
  public InvalidRequestException(String message) {
    super(message);
  }
}
