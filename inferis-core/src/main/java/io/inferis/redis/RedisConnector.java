package io.inferis.redis;

import io.inferis.redis.internal.LettuceConnector;

/**
 * A process's connections to one Redis deployment: a constant number of multiplexed connections
 * (one per node), shared by every cache and feature-store instance built on it. Create it once at
 * start, pass it in, close it last.
 *
 * <p>Thread-safe.
 */
public interface RedisConnector extends AutoCloseable {

  /**
   * Connects to the deployment a URL names:
   *
   * <ul>
   *   <li>{@code redis://[user:pass@]host:port[/db]}, {@code rediss://...} for TLS;
   *   <li>{@code redis-cluster://[user:pass@]h1:p1,h2:p2} (seed nodes), {@code rediss-cluster://};
   *   <li>{@code redis-sentinel://[user:pass@]h1:p1,h2:p2/master[/db]}, {@code rediss-sentinel://}.
   * </ul>
   *
   * <p>{@code user:pass@} names an ACL user; {@code :pass@} and {@code pass@} the default user. TLS
   * trust, client certificate, hostname verification (on by default) and credentials kept out of
   * the URL are {@link RedisOptions}.
   *
   * @throws IllegalArgumentException if the URL is malformed, or conflicts with the options
   *     (credentials in both, TLS certificates with a plain-text URL); the message never shows a
   *     password
   * @throws RedisAuthenticationException at once if Redis refuses the credentials
   * @throws RedisTlsException at once if the TLS handshake fails
   * @throws RedisUnavailableException if the deployment cannot be reached within the timeouts
   */
  static RedisConnector connect(String url, RedisOptions options) {
    return LettuceConnector.connect(url, options);
  }

  /** {@link #connect(String, RedisOptions)} with {@link RedisOptions#defaults()}. */
  static RedisConnector connect(String url) {
    return connect(url, RedisOptions.defaults());
  }

  /** The endpoint for messages and logs, e.g. {@code redis://127.0.0.1:6379}; no credentials. */
  String endpoint();

  /** True for a Redis Cluster deployment. */
  boolean isCluster();

  /** The options this connector was made with. */
  RedisOptions options();

  /** Closes every connection and the client's threads. Idempotent. */
  @Override
  void close();
}
