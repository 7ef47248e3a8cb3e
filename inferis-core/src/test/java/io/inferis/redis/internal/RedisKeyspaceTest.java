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

  /**
   * The per-page facts script, with Redis 7's flags and without (Redis 6), answers the same five
   * facts per key for every type, a key with a TTL, and a key that does not exist.
   */
  @ParameterizedTest(name = "redis7={0}")
  @ValueSource(booleans = {true, false})
  void factsScript_answersFiveFactsPerKey(boolean redis7) {
    try (RedisNode redis = RedisNode.start("keyspace-facts-" + redis7)) {
      redis.call(c -> c.set("s", "hello"));
      redis.call(c -> c.hset("h", java.util.Map.of("a", "1", "b", "2")));
      redis.call(c -> c.rpush("l", "1", "2", "3"));
      redis.call(c -> c.sadd("t", "x"));
      redis.call(c -> c.zadd("z", 1.0, "m"));
      redis.call(c -> c.xadd("x", java.util.Map.of("f", "v")));
      redis.call(c -> c.setex("ttl", 100, "v"));
      String script = redis7 ? RedisKeyspace.FACTS_7 : RedisKeyspace.FACTS_BODY;
      java.util.List<Object> out =
          redis.call(
              c ->
                  c.eval(
                      script,
                      io.lettuce.core.ScriptOutputType.MULTI,
                      new String[0],
                      "s",
                      "h",
                      "l",
                      "t",
                      "z",
                      "x",
                      "ttl",
                      "gone"));
      assertThat(out).hasSize(8 * 5);
      assertThat(java.util.stream.IntStream.range(0, 8).mapToObj(i -> out.get(i * 5)))
          .containsExactly("string", "hash", "list", "set", "zset", "stream", "string", "none");
      assertThat(java.util.stream.IntStream.range(0, 8).mapToObj(i -> out.get(i * 5 + 4)))
          .containsExactly(5L, 2L, 3L, 1L, 1L, 1L, 1L, -1L);
      assertThat(out.get(6 * 5 + 1))
          .isInstanceOfSatisfying(Long.class, t -> assertThat(t).isBetween(1L, 100_000L));
      assertThat(out.get(1)).isEqualTo(-1L);
      assertThat(out.get(7 * 5 + 1)).isEqualTo(-2L);
      assertThat(out.get(2)).isInstanceOfSatisfying(Long.class, b -> assertThat(b).isPositive());
      assertThat(out.get(7 * 5 + 2)).isEqualTo(-1L);
      assertThat(out.get(3))
          .isInstanceOfSatisfying(Long.class, idle -> assertThat(idle).isNotNegative());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis_version:7.0.15", "redis_version:6.2.14\r\nredis_mode:standalone"})
  void majorVersion_readsInfoServer(String info) {
    assertThat(RedisKeyspace.majorVersion("# Server\r\n" + info + "\r\n"))
        .isEqualTo(info.contains(":7.") ? 7 : 6);
  }
}
