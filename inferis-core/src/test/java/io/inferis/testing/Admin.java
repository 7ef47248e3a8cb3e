package io.inferis.testing;

import io.inferis.redis.NetTransport;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The harness's own Lettuce client for admin commands (PING, INFO, CLUSTER MEET, ...), shared by
 * every node in the JVM and closed at JVM exit. Connections from it are short-lived.
 */
final class Admin {

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static volatile RedisClient client;
  private static volatile RedisClient tlsClient;

  private Admin() {}

  static RedisClient client() {
    RedisClient c = client;
    if (c == null) {
      synchronized (Admin.class) {
        c = client;
        if (c == null) {
          c = create(null);
          client = c;
        }
      }
    }
    return c;
  }

  /**
   * The admin client for TLS servers: trusts {@link TlsMaterial#caCert()} and presents {@link
   * TlsMaterial#clientCert()}, so it reaches servers that demand a client certificate too.
   */
  static RedisClient tlsClient() {
    RedisClient c = tlsClient;
    if (c == null) {
      synchronized (Admin.class) {
        c = tlsClient;
        if (c == null) {
          TlsMaterial m = TlsMaterial.get();
          c =
              create(
                  SslOptions.builder()
                      .jdkSslProvider()
                      .trustManager(m.caCert().toFile())
                      .keyManager(m.clientCert().toFile(), m.clientKey().toFile(), null)
                      .handshakeTimeout(TIMEOUT)
                      .build());
          tlsClient = c;
        }
      }
    }
    return c;
  }

  private static RedisClient create(@Nullable SslOptions ssl) {
    // inferis fixes the process's transport (io_uring where available): a Lettuce client made
    // before its first connector would leave Lettuce's own default in force.
    NetTransport.ofConnections();
    RedisClient c;
    ClientResources resources =
        DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    c = RedisClient.create(resources);
    // Lettuce completes connect() once the handshake's replies are read, and may activate the
    // endpoint on its event loop a moment later; with autoReconnect off, the default then rejects
    // a command sent in between ("Currently not connected"), 1 in a few thousand fresh
    // connections here. Accepting commands holds it until the endpoint is active; a connection
    // that is really gone still fails by the command timeout.
    ClientOptions.Builder options =
        ClientOptions.builder()
            .autoReconnect(false)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build());
    if (ssl != null) {
      options.sslOptions(ssl);
    }
    c.setOptions(options.build());
    RedisClient created = c;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  created.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                  resources.shutdown(0, 1, java.util.concurrent.TimeUnit.SECONDS);
                },
                "redis-harness-admin-close"));
    return c;
  }

  /** Parses {@code INFO} or {@code CLUSTER INFO} output into {@code field -> value}. */
  static Map<String, String> parseInfo(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\r?\n")) {
      int i = line.indexOf(':');
      if (i > 0 && !line.startsWith("#")) {
        out.put(line.substring(0, i), line.substring(i + 1).trim());
      }
    }
    return out;
  }
}
