package io.inferis.redis;

/**
 * The TLS handshake with Redis failed: the server's certificate does not chain to a trusted
 * authority or does not name the host (with hostname verification on), the server demanded a client
 * certificate that was not given or not trusted, or the endpoint does not speak TLS. Thrown by
 * {@link RedisConnector#connect} when the handshake fails, not after a command timeout. The message
 * names the endpoint and the handshake's reason.
 */
public class RedisTlsException extends RedisUnavailableException {

  private static final long serialVersionUID = 1L;

  /** An exception naming the endpoint and why the handshake failed. */
  public RedisTlsException(String message, Throwable cause) {
    super(message, cause);
  }
}
