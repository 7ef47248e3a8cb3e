package io.inferis.features;

import static io.inferis.features.TestRepo.driver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferis.feast.FeatureValue;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisUnavailableException;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reads refused with a transient error are retried, with backoff, inside the request deadline. A
 * Lua script that never returns makes the real server answer every other command with BUSY (after
 * {@code busy-reply-threshold}) until SCRIPT KILL ends it.
 */
class ReadRetryTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  private static final List<String> REFS = List.of("driver_hourly_stats:avg_daily_trips");

  private RedisClient admin;
  private StatefulRedisConnection<String, String> control;
  private StatefulRedisConnection<String, String> blocker;
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  @BeforeEach
  void connectAdmin() {
    admin = RedisClient.create(redis.get().uri());
    control = admin.connect();
    blocker = admin.connect();
  }

  @AfterEach
  void close() throws Exception {
    while (!opened.isEmpty()) {
      opened.pop().close();
    }
    admin.shutdown();
  }

  @Test
  void busyServer_readIsRetriedUntilItAnswers_withinTheDeadline() throws Exception {
    FeatureStore store =
        storeWithDriver(
            FeatureStoreOptions.builder()
                .requestDeadline(Duration.ofSeconds(20))
                // About 20 attempts in the 2 s: the retry budget allows a fresh store about 100.
                .retryPolicy(
                    RetryPolicy.builder()
                        .maxAttempts(1_000)
                        .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                        .build())
                .build());
    long refusedBefore = busyReplies(control);
    List<OnlineFeatures> answer = new ArrayList<>();
    long probes =
        whileBusy(Duration.ofSeconds(2), () -> answer.add(store.get(REFS, List.of(driver(1)))));
    assertThat(answer.get(0).value(0, 0)).isEqualTo(FeatureValue.ofInt64(1));
    // Asked while the server was busy, the read was refused, then retried until it answered.
    assertThat(busyReplies(control) - refusedBefore - probes).isGreaterThan(1);
  }

  @Test
  void busyServer_withOneAttempt_failsAsUnavailable() throws Exception {
    FeatureStore store =
        storeWithDriver(
            FeatureStoreOptions.builder()
                .requestDeadline(Duration.ofSeconds(20))
                .retryPolicy(RetryPolicy.none())
                .build());
    whileBusy(
        Duration.ofSeconds(2),
        () ->
            assertThatThrownBy(() -> store.get(REFS, List.of(driver(1))))
                .isInstanceOf(RedisUnavailableException.class)
                .hasMessageContaining("BUSY"));
  }

  @Test
  void busyServer_retriesStopAtTheDeadline() throws Exception {
    FeatureStore store =
        storeWithDriver(
            FeatureStoreOptions.builder()
                .requestDeadline(Duration.ofMillis(300))
                .retryPolicy(
                    RetryPolicy.builder()
                        .maxAttempts(1_000)
                        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                        .build())
                .build());
    whileBusy(
        Duration.ofSeconds(4),
        () -> {
          long start = System.nanoTime();
          assertThatThrownBy(() -> store.get(REFS, List.of(driver(1))))
              .isInstanceOf(RedisUnavailableException.class);
          // Retried for the deadline's 0.3 s, not for 1,000 attempts or the 4 s the server is
          // busy.
          assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        });
  }

  /** A store with {@code options} on a connector of its own, holding driver 1's row. */
  private FeatureStore storeWithDriver(FeatureStoreOptions options) {
    RedisConnector connector = RedisConnector.connect(redis.get().uri());
    opened.push(connector);
    FeatureStore store = FeatureStores.redis(TestRepo.repo(), connector, options);
    opened.push(store);
    TestRepo.writeTrips(store, 1, 2);
    return store;
  }

  /**
   * Runs {@code body} while the server answers BUSY, for about {@code length}; then waits for the
   * script to end. Returns how many BUSY replies the probes for that state got.
   */
  private long whileBusy(Duration length, Runnable body) throws Exception {
    Busy busy = busyFor(length, control, blocker);
    try {
      body.run();
    } finally {
      assertThat(busy.script().get(10, TimeUnit.SECONDS)).isEqualTo("OK");
    }
    return busy.probesRefused();
  }

  /** A running script and the number of probes the server refused before this test went on. */
  private record Busy(RedisFuture<String> script, long probesRefused) {}

  /**
   * Starts, on {@code blocker}, a script that loops for {@code length} and returns OK; returns once
   * the server answers other commands with BUSY (after {@code busy-reply-threshold}).
   */
  private static Busy busyFor(
      Duration length,
      StatefulRedisConnection<String, String> control,
      StatefulRedisConnection<String, String> blocker) {
    control.sync().configSet("busy-reply-threshold", "20");
    RedisFuture<String> script =
        blocker
            .async()
            .eval(
                "local t0 = redis.call('TIME')\n"
                    + "while true do\n"
                    + "  local t = redis.call('TIME')\n"
                    + "  if (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > tonumber(ARGV[1]) then\n"
                    + "    return 'OK'\n"
                    + "  end\n"
                    + "end\n",
                ScriptOutputType.STATUS,
                new String[0],
                Long.toString(length.toNanos() / 1000));
    long[] refused = {0};
    Awaitility.await("the server answers BUSY")
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              boolean busy = isBusy(control);
              refused[0] += busy ? 1 : 0;
              return busy;
            });
    return new Busy(script, refused[0]);
  }

  private static boolean isBusy(StatefulRedisConnection<String, String> control) {
    try {
      control.sync().ping();
      return false;
    } catch (RuntimeException e) {
      return String.valueOf(e.getMessage()).startsWith("BUSY");
    }
  }

  /** BUSY error replies the server has sent since it started ({@code INFO errorstats}). */
  private static long busyReplies(StatefulRedisConnection<String, String> control) {
    Matcher m =
        Pattern.compile("errorstat_BUSY:count=(\\d+)").matcher(control.sync().info("errorstats"));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
