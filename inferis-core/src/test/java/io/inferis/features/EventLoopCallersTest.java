package io.inferis.features;

import static io.inferis.features.TestRepo.driver;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.feast.FeatureValue;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lookups made on another library's event loop (an HTTP server's) that registered with {@link
 * RedisConnector#batchPerLoopTurn} are held to the end of the loop's turn and written together;
 * held commands keep their request's deadline. Lookups made by the continuations of answered
 * lookups, on the connector's own loop, leave together when the read of those answers ends.
 */
class EventLoopCallersTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  private static final List<String> REFS = List.of("driver_hourly_stats:avg_daily_trips");
  private static final int LOOKUPS = 20;

  /**
   * Stands for an HTTP server's event loop: a Netty loop that is not the connector's, registered
   * with {@link RedisConnector#batchPerLoopTurn}.
   */
  private static DefaultEventExecutorGroup loops;

  @BeforeAll
  static void startLoop() throws Exception {
    loops = new DefaultEventExecutorGroup(1);
    EventExecutor loop = loops.next();
    loop.submit(() -> RedisConnector.batchPerLoopTurn(loop)).get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopLoop() {
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  @Test
  void lookupsMadeInOneTurnOfAForeignLoop_reachRedisInOneRead() throws Exception {
    try (RedisConnector connector = RedisConnector.connect(redis.get().uri());
        FeatureStore store = FeatureStores.redis(TestRepo.repo(), connector);
        RedisClient admin = RedisClient.create(redis.get().uri());
        StatefulRedisConnection<String, String> info = admin.connect()) {
      writeDrivers(store);
      assertThat(store.get(REFS, List.of(driver(0))).value(0, 0))
          .isEqualTo(FeatureValue.ofInt64(0));

      long before = readsProcessed(info);
      EventExecutor loop = loops.next();
      List<CompletableFuture<OnlineFeatures>> answers =
          loop.submit(
                  () -> {
                    List<CompletableFuture<OnlineFeatures>> out = new ArrayList<>();
                    for (int i = 0; i < LOOKUPS; i++) {
                      out.add(store.getOnlineFeatures(REFS, List.of(driver(i))));
                    }
                    return out;
                  })
              .get(10, TimeUnit.SECONDS);
      for (int i = 0; i < LOOKUPS; i++) {
        assertThat(answers.get(i).get(10, TimeUnit.SECONDS).value(0, 0))
            .isEqualTo(FeatureValue.ofInt64(i));
      }
      // Redis counts the reads it made from its sockets: the 20 lookups in one, and one for the
      // second INFO. Flushed one by one, they are one read each.
      assertThat(readsProcessed(info) - before - 1).isEqualTo(1);
    }
  }

  @Test
  void lookupsMadeByTheContinuationOfAnAnswer_reachRedisInOneRead() throws Exception {
    try (RedisConnector connector = RedisConnector.connect(redis.get().uri());
        FeatureStore store = FeatureStores.redis(TestRepo.repo(), connector);
        RedisClient admin = RedisClient.create(redis.get().uri());
        StatefulRedisConnection<String, String> info = admin.connect()) {
      writeDrivers(store);
      long before = readsProcessed(info);
      List<String> continuationThreads = new ArrayList<>();
      // Paused, so that the continuation is attached before the answer arrives, and runs on the
      // connector's loop as it handles that answer.
      CompletableFuture<List<OnlineFeatures>> chained;
      redis.get().pause();
      try {
        chained =
            store
                .getOnlineFeatures(REFS, List.of(driver(0)))
                .thenCompose(
                    first -> {
                      continuationThreads.add(Thread.currentThread().getName());
                      List<CompletableFuture<OnlineFeatures>> next = new ArrayList<>();
                      for (int i = 0; i < LOOKUPS; i++) {
                        next.add(store.getOnlineFeatures(REFS, List.of(driver(i))));
                      }
                      return CompletableFuture.allOf(next.toArray(CompletableFuture[]::new))
                          .thenApply(done -> next.stream().map(CompletableFuture::join).toList());
                    });
      } finally {
        redis.get().resume();
      }
      List<OnlineFeatures> answers = chained.get(10, TimeUnit.SECONDS);
      for (int i = 0; i < LOOKUPS; i++) {
        assertThat(answers.get(i).value(0, 0)).isEqualTo(FeatureValue.ofInt64(i));
      }
      assertThat(continuationThreads).singleElement().asString().startsWith("lettuce-");
      // One read for the first lookup, one for the 20 its continuation made, one for this INFO.
      assertThat(readsProcessed(info) - before).isEqualTo(3);
    }
  }

  private static void writeDrivers(FeatureStore store) {
    TestRepo.writeTrips(store, 0, LOOKUPS);
  }

  @Test
  void heldLookupOnAStoppedServer_failsAtItsRequestDeadline_notTheCommandTimeout()
      throws Exception {
    RedisOptions options = RedisOptions.builder().commandTimeout(Duration.ofSeconds(10)).build();
    try (RedisConnector connector = RedisConnector.connect(redis.get().uri(), options);
        FeatureStore store =
            FeatureStores.redis(
                TestRepo.repo(),
                connector,
                FeatureStoreOptions.builder().requestDeadline(Duration.ofMillis(300)).build())) {
      store.get(REFS, List.of(driver(1)));
      redis.get().pause();
      try {
        long start = System.nanoTime();
        CompletableFuture<OnlineFeatures> answer =
            loops
                .next()
                .submit(() -> store.getOnlineFeatures(REFS, List.of(driver(1))))
                .get(10, TimeUnit.SECONDS);
        assertThat(answer).failsWithin(Duration.ofSeconds(8));
        // The deadline is 0.3 s; without it the command would wait out its 10 s timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      } finally {
        redis.get().resume();
      }
    }
  }

  private static Instant now() {
    return Instant.now();
  }

  private static long readsProcessed(StatefulRedisConnection<String, String> c) {
    Matcher m = Pattern.compile("total_reads_processed:(\\d+)").matcher(c.sync().info("stats"));
    assertThat(m.find()).isTrue();
    return Long.parseLong(m.group(1));
  }
}
