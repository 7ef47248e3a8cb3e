package io.inferis.testing;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The harness's own Lettuce client for admin commands (PING, INFO, CLUSTER MEET, ...), shared by
 * every node in the JVM and closed at JVM exit. Connections from it are short-lived.
 */
final class Admin {

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static volatile RedisClient client;

  private Admin() {}

  static RedisClient client() {
    RedisClient c = client;
    if (c == null) {
      synchronized (Admin.class) {
        c = client;
        if (c == null) {
          ClientResources resources =
              DefaultClientResources.builder()
                  .ioThreadPoolSize(2)
                  .computationThreadPoolSize(2)
                  .build();
          c = RedisClient.create(resources);
          c.setOptions(
              ClientOptions.builder()
                  .autoReconnect(false)
                  .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
                  .build());
          RedisClient created = c;
          Runtime.getRuntime()
              .addShutdownHook(
                  new Thread(
                      () -> {
                        created.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                        resources.shutdown(0, 1, java.util.concurrent.TimeUnit.SECONDS);
                      },
                      "redis-harness-admin-close"));
          client = c;
        }
      }
    }
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
