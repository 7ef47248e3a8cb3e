package io.inferis.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The audit's TTL fix on a real Redis, by {@code EXPIRE ... NX} (Redis 7+) and by the script used
 * before 7.0: only matching keys without a TTL get one, a key with a TTL keeps it (longer or
 * shorter), and a rerun changes nothing.
 */
class RedisKeyspaceTest {

  @ParameterizedTest(name = "nx={0}")
  @ValueSource(booleans = {true, false})
  void fixTtl_givesOnlyMatchingKeysWithoutTtlOne_andNeverChangesAnExistingTtl(boolean nx) {
    try (RedisNode redis = RedisNode.start("keyspace-fix-" + nx);
        RedisConnector connector = RedisConnector.connect(redis.uri())) {
      redis.call(c -> c.set("leak:a", "1"));
      redis.call(c -> c.zadd("leak:b", 1.0, "m"));
      redis.call(c -> c.setex("leak:long", 100_000, "1"));
      redis.call(c -> c.setex("leak:short", 30, "1"));
      redis.call(c -> c.set("other:c", "1"));
      RedisKeyspace keyspace = new RedisKeyspace(LettuceConnector.of(connector));

      assertThat(keyspace.expireKeysWithoutTtl("leak:*", 2, 600, nx)).isEqualTo(2);

      assertThat(redis.<Long>call(c -> c.ttl("leak:a"))).isBetween(590L, 600L);
      assertThat(redis.<Long>call(c -> c.ttl("leak:b"))).isBetween(590L, 600L);
      assertThat(redis.<Long>call(c -> c.ttl("leak:long"))).isGreaterThan(99_000L);
      assertThat(redis.<Long>call(c -> c.ttl("leak:short"))).isBetween(1L, 30L);
      assertThat(redis.<Long>call(c -> c.ttl("other:c"))).isEqualTo(-1L);
      assertThat(keyspace.expireKeysWithoutTtl("leak:*", 2, 60, nx)).isZero();
      assertThat(redis.<Long>call(c -> c.ttl("leak:a"))).isGreaterThan(60L);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis_version:7.0.15", "redis_version:6.2.14\r\nredis_mode:standalone"})
  void majorVersion_readsInfoServer(String info) {
    assertThat(RedisKeyspace.majorVersion("# Server\r\n" + info + "\r\n"))
        .isEqualTo(info.contains(":7.") ? 7 : 6);
  }
}
