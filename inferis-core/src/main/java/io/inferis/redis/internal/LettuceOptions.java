package io.inferis.redis.internal;

import io.inferis.redis.RedisOptions;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Lettuce's client options from inferis's {@link RedisOptions}: for one node, and for a cluster.
 */
final class LettuceOptions {

  private LettuceOptions() {}

  private static SocketOptions socketOptions(RedisOptions o) {
    return SocketOptions.builder()
        .connectTimeout(o.connectTimeout())
        .keepAlive(o.keepAlive())
        .tcpNoDelay(true)
        .build();
  }

  static ClientOptions client(RedisOptions o) {
    return ClientOptions.builder()
        .sslOptions(sslOptions(o))
        .autoReconnect(true)
        .requestQueueSize(o.requestQueueSize())
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
        .socketOptions(socketOptions(o))
        .timeoutOptions(
            TimeoutOptions.builder()
                .timeoutCommands()
                .timeoutSource(Deadlines.timeoutSource(o.commandTimeout()))
                .build())
        .build();
  }

  /**
   * Lettuce's TLS options (used only for TLS URLs): the CA and client PEM files are read by Netty's
   * {@code SslContextBuilder}, and the handshake is bounded by the connect timeout instead of
   * Lettuce's 10 s default, so a server that accepts TCP but never completes TLS fails connect
   * fast.
   */
  private static SslOptions sslOptions(RedisOptions o) {
    SslOptions.Builder b = SslOptions.builder().handshakeTimeout(o.connectTimeout());
    Path ca = o.tlsCaCert();
    if (ca != null) {
      b.trustManager(ca.toFile());
    }
    Path cert = o.tlsClientCert();
    Path key = o.tlsClientKey();
    if (cert != null && key != null) {
      b.keyManager(cert.toFile(), key.toFile(), null);
    }
    return b.build();
  }

  static ClusterClientOptions cluster(RedisOptions o) {
    return ClusterClientOptions.builder(client(o))
        .topologyRefreshOptions(
            ClusterTopologyRefreshOptions.builder()
                .enablePeriodicRefresh(o.topologyRefreshPeriod())
                .enableAllAdaptiveRefreshTriggers()
                .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                .build())
        .build();
  }
}
