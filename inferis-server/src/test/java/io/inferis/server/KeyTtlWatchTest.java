package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.audit.AuditOptions;
import io.inferis.audit.AuditReport;
import io.inferis.audit.KeyAudit;
import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two servers sharing a Redis: one scans the monitoring prefix per period, both export the count of
 * monitoring keys without a TTL; keys outside the prefix are not counted.
 */
class KeyTtlWatchTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  private static final String PREFIX = "mon[1]:";

  @Test
  void oneServerScans_everyServerExportsTheCount() {
    redis
        .get()
        .call(
            c -> {
              c.flushall();
              for (int i = 0; i < 30; i++) {
                c.set(PREFIX + "{s1}:inference:m" + i, "x");
                if (i % 3 == 0) {
                  c.expire(PREFIX + "{s1}:inference:m" + i, 3600);
                }
              }
              c.set("other:no-ttl", "x"); // outside the prefix
              c.set("mon1:no-ttl", "x"); // what an unescaped [1] would match
              return null;
            });
    try (RedisConnector connector = RedisConnector.connect(redis.get().uri());
        Cache cache = Caches.redis(connector)) {
      AtomicInteger scans = new AtomicInteger();
      KeyAudit audit = KeyAudit.of(connector);
      Function<AuditOptions, AuditReport> counted =
          o -> {
            scans.incrementAndGet();
            return audit.scan(o);
          };
      SimpleMeterRegistry a = new SimpleMeterRegistry();
      SimpleMeterRegistry b = new SimpleMeterRegistry();
      Duration period = Duration.ofMinutes(10);
      try (KeyTtlWatch first = new KeyTtlWatch(cache, PREFIX, period, counted, a);
          KeyTtlWatch second = new KeyTtlWatch(cache, PREFIX, period, counted, b)) {
        first.check();
        second.check();
        assertThat(scans).as("one scan per period for the fleet").hasValue(1);
        for (SimpleMeterRegistry r : new SimpleMeterRegistry[] {a, b}) {
          assertThat(r.get("inferis.monitoring.keys.without.ttl").gauge().value()).isEqualTo(20);
          // The 30 keys written, and the watch's lock (with a TTL) under the same prefix.
          assertThat(r.get("inferis.monitoring.keys").gauge().value()).isEqualTo(31);
          assertThat(r.get("inferis.monitoring.keys.scan.age").gauge().value())
              .isBetween(0.0, 60.0);
        }
      }
    }
  }

  @Test
  void beforeAnyCount_theScanAgeSaysSo() {
    try (RedisConnector connector = RedisConnector.connect(redis.get().uri());
        Cache cache = Caches.redis(connector)) {
      SimpleMeterRegistry r = new SimpleMeterRegistry();
      try (KeyTtlWatch w =
          new KeyTtlWatch(cache, "never:", Duration.ofHours(1), KeyAudit.of(connector)::scan, r)) {
        assertThat(r.get("inferis.monitoring.keys.scan.age").gauge().value()).isEqualTo(-1);
        w.check();
        assertThat(r.get("inferis.monitoring.keys.scan.age").gauge().value()).isNotNegative();
        assertThat(r.get("inferis.monitoring.keys.without.ttl").gauge().value()).isZero();
      }
    }
  }
}
