package io.inferis.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterFailoverCacheTest {

  @RegisterExtension
  static final RedisFixture<RedisCluster> cluster = RedisFixture.cluster().dedicated();

  /** An acknowledged append: its member and when the ack arrived. */
  private record Ack(String member, long ackedAtNanos) {}

  @Test
  void masterFailoverDuringAppends_losesNoAppendAckedAfterIt_andClientRecovers() throws Exception {
    RedisCluster c = cluster.get();
    RedisOptions options = RedisOptions.builder().commandTimeout(Duration.ofSeconds(1)).build();
    String key = "inferis:{srv-1}:inference:model-a";
    Duration window = Duration.ofMinutes(5);
    try (RedisConnector connector = RedisConnector.connect(c.uri(), options)) {
      Cache cache = Caches.redis(connector);
      ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
      AtomicLong failures = new AtomicLong();
      AtomicBoolean running = new AtomicBoolean(true);
      Thread writer =
          new Thread(
              () -> {
                long seq = 0;
                while (running.get()) {
                  String member = "rec-" + seq++;
                  try {
                    cache.append(key, member, System.currentTimeMillis(), window);
                    acks.add(new Ack(member, System.nanoTime()));
                  } catch (RuntimeException e) {
                    failures.incrementAndGet();
                  }
                }
              },
              "appender");
      writer.start();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> acks.size() > 200);

      RedisNode oldMaster = c.masterFor(key);
      RedisNode promoted = c.failover(oldMaster);
      long failoverDone = System.nanoTime();
      int ackedBefore = acks.size();

      Awaitility.await("appends continue after the failover")
          .atMost(Duration.ofSeconds(20))
          .until(() -> acks.size() > ackedBefore + 500);
      running.set(false);
      writer.join(10_000);

      assertThat(c.masterFor(key)).isEqualTo(promoted);
      Set<String> stored =
          cache.range(key, 0, Long.MAX_VALUE).stream()
              .map(ScoredMember::member)
              .collect(Collectors.toSet());
      List<String> ackedAfter =
          acks.stream().filter(a -> a.ackedAtNanos() > failoverDone).map(Ack::member).toList();
      assertThat(ackedAfter).hasSizeGreaterThan(500);
      assertThat(stored).containsAll(ackedAfter);
      assertThat(promoted.<Long>call(x -> x.pttl(key))).isPositive();
    }
  }
}
