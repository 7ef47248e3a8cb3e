package io.inferis.features;

import io.inferis.redis.RedisTimeoutException;

/** A request's deadline passed before all its lookups were answered; nothing more is sent. */
public class DeadlineExceededException extends RedisTimeoutException {

  private static final long serialVersionUID = 1L;

  /** An exception naming the deadline and the endpoint. */
  public DeadlineExceededException(String message, Throwable cause) {
    super(message, cause);
  }
}
