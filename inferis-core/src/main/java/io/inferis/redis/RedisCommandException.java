package io.inferis.redis;

import io.inferis.InferisException;

/**
 * Redis answered a command with an error that is not about connectivity (for example a script
 * error). Its message carries the Redis error text and the endpoint.
 */
public class RedisCommandException extends InferisException {

  private static final long serialVersionUID = 1L;

  /** An exception carrying Redis's error text. */
  public RedisCommandException(String message, Throwable cause) {
    super(message, cause);
  }
}
