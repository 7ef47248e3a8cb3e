package io.inferis.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.inferis.testing.RedisSentinelGroup;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SentinelCacheTest {

  @RegisterExtension
  static final RedisFixture<RedisSentinelGroup> group = RedisFixture.sentinel().dedicated();

  @Test
  void connectsBySentinelUrl_andKeepsWorkingAfterFailover() {
    RedisSentinelGroup g = group.get();
    RedisOptions options = RedisOptions.builder().commandTimeout(Duration.ofSeconds(1)).build();
    try (RedisConnector connector = RedisConnector.connect(g.uri(), options)) {
      Cache cache = Caches.redis(connector);
      Duration window = Duration.ofMinutes(1);
      assertThat(cache.append("w", "before", cache.nowMillis(), window)).isEqualTo(1);
      RedisNode oldMaster = g.master();
      assertThat(oldMaster.<Long>call(c -> c.zcard("w"))).isEqualTo(1);

      RedisNode newMaster = g.failover();
      assertThat(newMaster).isNotEqualTo(oldMaster);

      // The client follows the sentinels to the new master without being rebuilt.
      Awaitility.await("appends succeed on the new master")
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> cache.append("w", "after-" + System.nanoTime(), cache.nowMillis(), window) > 0);
      for (int i = 0; i < 20; i++) {
        cache.append("w", "steady-" + i, cache.nowMillis(), window);
      }
      assertThat(newMaster.<Long>call(c -> c.zcard("w"))).isGreaterThanOrEqualTo(21);
      assertThat(newMaster.<Long>call(c -> c.pttl("w"))).isPositive();
    }
  }
}
