package io.inferis.redis;

/**
 * A Redis command got no reply within the command timeout (or the request deadline). The message
 * names the endpoint and the timeout.
 */
public class RedisTimeoutException extends RedisUnavailableException {

  private static final long serialVersionUID = 1L;

  /** An exception naming the endpoint and the timeout. */
  public RedisTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
