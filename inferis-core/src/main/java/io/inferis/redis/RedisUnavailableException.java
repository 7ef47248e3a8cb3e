package io.inferis.redis;

import io.inferis.InferisException;

/**
 * Redis could not be reached or refused the command for a connection reason (connection refused,
 * reset, request queue full, server loading). The message names the endpoint, never a secret.
 */
public class RedisUnavailableException extends InferisException {

  private static final long serialVersionUID = 1L;

  /** An exception naming the endpoint and what failed. */
  public RedisUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
