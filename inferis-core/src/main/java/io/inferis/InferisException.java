package io.inferis;

/**
 * The root of every exception inferis throws. Unchecked: callers decide where to handle failures. A
 * cache or feature-store miss is a value, never an exception.
 *
 * <p>Subclasses name what went wrong and where (the endpoint, the resource), never a secret.
 */
public class InferisException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An exception with a message that names the problem. */
  public InferisException(String message) {
    super(message);
  }

  /** An exception with a message and the underlying cause. */
  public InferisException(String message, Throwable cause) {
    super(message, cause);
  }
}
