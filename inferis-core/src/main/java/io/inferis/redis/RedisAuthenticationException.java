package io.inferis.redis;

/**
 * Redis refused the credentials: a wrong password, an unknown or disabled ACL user ({@code
 * WRONGPASS}), or none given where one is required ({@code NOAUTH}). Thrown by {@link
 * RedisConnector#connect} at once, not after a timeout, and never retried: the same credentials
 * would be refused again. The message names the endpoint and what Redis answered, never the
 * password.
 */
public class RedisAuthenticationException extends RedisUnavailableException {

  private static final long serialVersionUID = 1L;

  /** An exception naming the endpoint and Redis's answer. */
  public RedisAuthenticationException(String message, Throwable cause) {
    super(message, cause);
  }
}
