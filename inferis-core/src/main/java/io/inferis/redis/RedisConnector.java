package io.inferis.redis;

import io.inferis.redis.internal.RedisBackends;
import java.util.Optional;
import java.util.concurrent.Executor;

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
    return RedisBackends.connect(url, options);
  }

  /** {@link #connect(String, RedisOptions)} with {@link RedisOptions#defaults()}. */
  static RedisConnector connect(String url) {
    return connect(url, RedisOptions.defaults());
  }

  /**
   * Declares the calling thread an event loop of another I/O library (an HTTP or gRPC server's)
   * whose lookups should leave in one batch per turn: commands the thread dispatches are held until
   * the loop has handled the I/O of its current turn, then written with one write and one flush per
   * connection, instead of one each. {@code sameTurn} must run a task submitted from this thread on
   * this loop after that I/O, without a timer (Netty's and Vert.x's event loops do: {@code
   * context::runOnContext} on a Vert.x event-loop context). Call it once, on the loop's own thread,
   * before its first lookup; it applies to every connector of the process. A thread that never
   * calls it dispatches at once.
   */
  static void batchPerLoopTurn(Executor sameTurn) {
    RedisBackends.batchPerLoopTurn(sameTurn);
  }

  /**
   * The event loops this connector's connections run on, for a Netty-based server to serve on: a
   * lookup is then answered on the thread that read Redis's reply, with no hand-over between
   * threads (inferis's gRPC server serves on them). Empty where the loops are neither epoll's nor
   * NIO's. They stop when the connector closes: close such a server first. Never block on them.
   */
  Optional<ServerLoops> serverLoops();

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
