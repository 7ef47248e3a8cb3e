package io.inferis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferis.audit.AuditReport.IdleAge;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisNode;
import io.lettuce.core.RestoreArgs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link KeyAudit#scan} on a real Redis: what it counts, how it groups, what it bounds. */
class KeyAuditTest {

  private static RedisNode redis;
  private static RedisConnector connector;

  @BeforeAll
  static void start() {
    redis = RedisNode.start("key-audit");
    connector = RedisConnector.connect(redis.uri());
  }

  @AfterAll
  static void stop() {
    connector.close();
    redis.close();
  }

  @BeforeEach
  void empty() {
    redis.call(c -> c.configSet("maxmemory-policy", "noeviction"));
    redis.call(c -> c.flushall());
  }

  @Test
  void countsEveryKey_byPrefixTypeAndTtl_withMembers_andTheLargest() {
    redis.call(c -> c.hset("inferis:{a}:registry", java.util.Map.of("m1", "1", "m2", "2")));
    redis.call(c -> c.zadd("inferis:{a}:inference:m1", 1.0, "r1"));
    redis.call(c -> c.pexpire("inferis:{a}:inference:m1", 60_000));
    redis.call(c -> c.zadd("legacy:{b}:inference:m1", 1.0, "x".repeat(5000)));
    redis.call(c -> c.sadd("legacy:set", "a", "b", "c"));
    redis.call(c -> c.set("plain", "12345"));

    AuditReport r = KeyAudit.of(connector).scan(AuditOptions.builder().top(2).build());

    assertThat(r.scanned()).isEqualTo(5);
    assertThat(r.keyspaceKeys()).isEqualTo(5);
    assertThat(r.withoutTtl()).isEqualTo(4);
    assertThat(r.byPrefix()).containsOnlyKeys("inferis:*", "legacy:*", "plain");
    assertThat(r.byPrefix().get("legacy:*").withoutTtl()).isEqualTo(2);
    assertThat(r.byPrefix().get("inferis:*").withoutTtl()).isEqualTo(1);
    assertThat(r.byType()).containsOnlyKeys("hash", "zset", "set", "string");
    assertThat(r.byType().get("hash").members()).isEqualTo(2);
    assertThat(r.byType().get("set").members()).isEqualTo(3);
    assertThat(r.byType().get("string").members()).isEqualTo(5);
    assertThat(r.largest()).hasSize(2);
    assertThat(r.largest().get(0).name()).isEqualTo("legacy:{b}:inference:m1");
    assertThat(r.largest().get(0).type()).isEqualTo("zset");
    assertThat(r.largest().get(0).bytes()).isGreaterThan(5000);
    assertThat(r.sample()).isNull();
  }

  @Test
  void prefixes_byDelimiterAndDepth_boundedWithTheRestAsOther() {
    for (int i = 0; i < 10; i++) {
      int n = i;
      redis.call(c -> c.set("app/" + n + "/x", "v"));
      redis.call(c -> c.set("app/" + n + "/y", "v"));
    }
    AuditReport deep =
        KeyAudit.of(connector)
            .scan(AuditOptions.builder().delimiter("/").depth(2).maxPrefixes(3).build());

    assertThat(deep.byPrefix()).hasSize(4).containsKey(AuditReport.OTHER);
    assertThat(deep.byPrefix().keySet().stream().filter(p -> p.startsWith("app/")))
        .allMatch(p -> p.matches("app/\\d/\\*"));
    assertThat(deep.byPrefix().values().stream().mapToLong(AuditReport.Group::keys).sum())
        .isEqualTo(20);
    assertThat(deep.byPrefix().get(AuditReport.OTHER).keys()).isEqualTo(14);
  }

  @Test
  void idleAge_landsInItsBucket() {
    redis.call(c -> c.set("fresh", "v"));
    byte[] dump = redis.call(c -> c.dump("fresh"));
    redis.call(c -> c.restore("two-hours", dump, RestoreArgs.Builder.ttl(0).idleTime(7_200)));
    redis.call(c -> c.restore("ten-days", dump, RestoreArgs.Builder.ttl(0).idleTime(864_000)));
    redis.call(
        c -> c.restore("forty-six-days", dump, RestoreArgs.Builder.ttl(0).idleTime(46 * 86_400)));

    AuditReport r = KeyAudit.of(connector).scan(AuditOptions.defaults());

    assertThat(r.byIdleAge())
        .containsOnlyKeys(
            IdleAge.UNDER_1_HOUR, IdleAge.UNDER_1_DAY, IdleAge.UNDER_30_DAYS, IdleAge.OVER_30_DAYS);
    assertThat(r.byIdleAge().values()).allMatch(g -> g.keys() == 1);
    assertThat(r.largest())
        .filteredOn(k -> k.name().equals("forty-six-days"))
        .singleElement()
        .satisfies(k -> assertThat(k.idleSeconds()).isBetween(46 * 86_400L, 46 * 86_400L + 60));
  }

  @Test
  void underAnLfuPolicy_idleIsUnavailable_andTheScanCompletes() {
    redis.call(c -> c.configSet("maxmemory-policy", "allkeys-lfu"));
    redis.call(c -> c.set("a", "v"));
    redis.call(c -> c.set("b", "v"));

    AuditReport r = KeyAudit.of(connector).scan(AuditOptions.defaults());

    assertThat(r.scanned()).isEqualTo(2);
    assertThat(r.byIdleAge()).containsOnlyKeys(IdleAge.UNAVAILABLE);
    assertThat(r.largest()).allMatch(k -> k.idleSeconds() == -1);
  }

  @Test
  void sample_stopsEarly_andItsEstimateHoldsTheTruth() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      keys.add("k:" + i);
    }
    redis.call(
        c -> {
          for (int i = 0; i < keys.size(); i += 1000) {
            String[] kv = new String[2000];
            for (int j = 0; j < 1000; j++) {
              kv[2 * j] = keys.get(i + j);
              kv[2 * j + 1] = "v";
            }
            c.mset(toMap(kv));
          }
          for (int i = 0; i < keys.size(); i += 4) {
            c.expire(keys.get(i), 3600); // a quarter with a TTL
          }
          return null;
        });
    List<AuditProgress> progress = new ArrayList<>();

    AuditReport r =
        KeyAudit.of(connector).scan(AuditOptions.builder().sample(4000).build(), progress::add);

    assertThat(r.scanned()).isBetween(4000L, 6000L);
    assertThat(r.sample()).isNotNull();
    long truth = 15_000;
    assertThat(Math.abs(r.sample().withoutTtlEstimate() - truth))
        .isLessThanOrEqualTo(2 * r.sample().withoutTtlMargin());
    assertThat(r.sample().withoutTtlMargin()).isBetween(1L, 1_000L);
    assertThat(progress).isNotEmpty().allMatch(p -> p.keyspaceKeys() == 20_000);
    assertThatThrownBy(
            () ->
                KeyAudit.of(connector)
                    .scan(AuditOptions.builder().match("k:*").sample(1000).build()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static java.util.Map<String, String> toMap(String[] kv) {
    java.util.Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
