package io.inferis.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.inferis.redis.RedisTimeoutException;
import io.inferis.redis.RedisUnavailableException;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.net.ServerSocket;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An unreachable, stopped or restarted server: typed errors within the timeout, never a hang. */
class RedisFailuresTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  private static final RedisOptions FAST =
      RedisOptions.builder()
          .commandTimeout(Duration.ofMillis(500))
          .connectTimeout(Duration.ofMillis(500))
          .build();

  @Test
  void unreachableServer_failsFastNamingTheEndpoint() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    long start = System.nanoTime();
    assertThatThrownBy(() -> RedisConnector.connect("redis://user:pw@127.0.0.1:" + deadPort, FAST))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("127.0.0.1:" + deadPort)
        .hasMessageNotContaining("pw@");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void stoppedServer_timesOutWithinCommandTimeout_thenRecovers() {
    RedisNode node = redis.get();
    try (RedisConnector connector = RedisConnector.connect(node.uri(), FAST)) {
      Cache cache = Caches.redis(connector);
      cache.set("k", new byte[] {1});
      node.pause();
      try {
        long start = System.nanoTime();
        assertThatThrownBy(() -> cache.get("k"))
            .isInstanceOf(RedisTimeoutException.class)
            .hasMessageContaining(node.uri())
            .hasMessageContaining("500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
      } finally {
        node.resume();
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(() -> cache.get("k").isPresent());
    }
  }

  @Test
  void restartedServer_isReconnectedWithoutANewClient() {
    RedisNode node = redis.get();
    try (RedisConnector connector = RedisConnector.connect(node.uri(), FAST)) {
      Cache cache = Caches.redis(connector);
      cache.set("k", new byte[] {1});
      node.kill();
      assertThatThrownBy(() -> cache.get("k")).isInstanceOf(RedisUnavailableException.class);
      node.restart();
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(() -> cache.append("w", "m", cache.nowMillis(), Duration.ofSeconds(5)) == 1);
      assertThat(cache.get("k")).as("nothing persisted across a restart").isEmpty();
    }
  }
}
