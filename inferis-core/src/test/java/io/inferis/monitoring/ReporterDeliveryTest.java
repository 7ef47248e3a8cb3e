package io.inferis.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.FakeClock;
import io.inferis.testing.ManualScheduler;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reporter against a real local HTTP endpoint, stepped by a fake clock and a manual scheduler:
 * retries deliver every window's report exactly once and in order; an outage longer than the spool
 * loses only the oldest reports, and the drop counter says how many; close sends a final report.
 */
class ReporterDeliveryTest {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  private static final long INTERVAL_MS = 1000;
  private static final long STEP_MS = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServer endpoint;
  private final AtomicInteger posts = new AtomicInteger();
  private final AtomicInteger failFirst = new AtomicInteger();
  private volatile int statusWhenFailing = 503;
  private final List<JsonNode> delivered = new CopyOnWriteArrayList<>();

  private RedisConnector connector;
  private Cache cache;
  private FakeClock clock;
  private ManualScheduler scheduler;

  @BeforeEach
  void start() throws IOException {
    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext(
        "/report",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          posts.incrementAndGet();
          int status = failFirst.getAndDecrement() > 0 ? statusWhenFailing : 204;
          if (status == 204) {
            JsonNode report = JSON.readTree(body);
            assertThat(exchange.getRequestHeaders().getFirst("Idempotency-Key"))
                .isEqualTo(report.get("id").asText());
            delivered.add(report);
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    endpoint.start();
    connector = RedisConnector.connect(redis.get().uri());
    cache = Caches.redis(connector);
    // Aligned to a window boundary and near real time (the store trims by its own clock).
    long now = System.currentTimeMillis();
    clock = new FakeClock(now - now % INTERVAL_MS + 10);
    scheduler = new ManualScheduler(clock);
  }

  @AfterEach
  void stop() {
    endpoint.stop(0);
    cache.close();
    connector.close();
  }

  private Monitor monitor(int spoolCapacity) {
    URI url = URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/report");
    return Monitoring.start(
        cache,
        MonitoringOptions.builder()
            .serverId("reporter")
            .reportInterval(Duration.ofMillis(INTERVAL_MS))
            .flushInterval(Duration.ofMillis(100))
            .reportUrl(url)
            .retryDelay(Duration.ofMillis(200), Duration.ofMillis(400))
            .spoolCapacity(spoolCapacity)
            .clock(clock)
            .scheduler(scheduler)
            .build());
  }

  /** Moves the fake clock in small steps, running what the scheduler has due at each. */
  private void advance(Duration d) {
    for (long t = 0; t < d.toMillis(); t += STEP_MS) {
      clock.advance(Duration.ofMillis(STEP_MS));
      scheduler.runDue();
    }
  }

  private List<Long> deliveredWindowStarts() {
    List<Long> starts = new ArrayList<>();
    for (JsonNode r : delivered) {
      if (!r.get("final").asBoolean()) {
        starts.add(r.get("windowStart").asLong());
      }
    }
    return starts;
  }

  private static void assertContiguous(List<Long> starts) {
    for (int i = 1; i < starts.size(); i++) {
      assertThat(starts.get(i) - starts.get(i - 1))
          .as("window %d follows window %d", i, i - 1)
          .isEqualTo(INTERVAL_MS);
    }
  }

  @Test
  void endpointFailsFirstPosts_everyWindowIsDeliveredOnceInOrder() {
    failFirst.set(4);
    try (Monitor m = monitor(10)) {
      m.record("m1", InferenceRecord.of(Duration.ofMillis(7), Prediction.ofClass("cat", 0.9)));
      assertThat(m.flush(Duration.ofSeconds(5))).isTrue();

      advance(Duration.ofSeconds(8));
      MonitorStats s = m.stats();

      List<Long> starts = deliveredWindowStarts();
      assertThat(starts).hasSize(8).doesNotHaveDuplicates().isSorted();
      assertContiguous(starts);
      assertThat(delivered)
          .extracting(r -> r.get("id").asText())
          .doesNotHaveDuplicates()
          .allMatch(id -> id.startsWith("reporter:"));
      assertThat(posts.get()).isEqualTo(8 + 4);
      assertThat(s.reportsSent()).isEqualTo(8);
      assertThat(s.reportFailures()).isEqualTo(4);
      assertThat(s.reportsDropped()).isZero();
      assertThat(s.reportsSpooled()).isZero();
      JsonNode first = delivered.get(0);
      assertThat(first.get("server").asText()).isEqualTo("reporter");
      assertThat(first.get("scope").asText()).isEqualTo("server");
      assertThat(first.get("windowEnd").asLong() - first.get("windowStart").asLong())
          .isEqualTo(2 * INTERVAL_MS);
      JsonNode m1 = first.get("models").get(0);
      assertThat(m1.get("model").asText()).isEqualTo("m1");
      assertThat(m1.get("inferences").asLong()).isEqualTo(1);
      assertThat(m1.get("latencyMs").get("p99").asDouble()).isEqualTo(7.0);
      assertThat(m1.get("classes").get("cat").asLong()).isEqualTo(1);
    }
  }

  @Test
  void endpointDownLongerThanTheSpool_dropsTheOldestAndCountsThem() {
    failFirst.set(Integer.MAX_VALUE);
    Monitor m = monitor(3);
    try {
      advance(Duration.ofSeconds(10)); // 10 windows while every POST fails
      assertThat(delivered).isEmpty();
      assertThat(m.stats().reportsSpooled()).isEqualTo(3);
      assertThat(m.stats().reportsDropped()).isEqualTo(7);
      assertThat(m.stats().reportFailures()).isPositive();

      failFirst.set(0); // the endpoint comes back
      advance(Duration.ofMillis(900)); // less than a window: only the spooled three go out
      assertThat(deliveredWindowStarts()).hasSize(3);
      assertContiguous(deliveredWindowStarts());
      long lastStart = deliveredWindowStarts().get(2);

      advance(Duration.ofSeconds(1));
      assertThat(deliveredWindowStarts()).hasSize(4).endsWith(lastStart + INTERVAL_MS);
      MonitorStats s = m.stats();
      assertThat(s.reportsDropped()).as("reports lost to the outage").isEqualTo(7);
      assertThat(s.reportsSent() + s.reportsDropped())
          .as("every window accounted for")
          .isEqualTo(11);
    } finally {
      m.close();
    }
  }

  @Test
  void rejectedReport_isDroppedAndCounted_notRetriedForever() {
    statusWhenFailing = 400;
    failFirst.set(1);
    try (Monitor m = monitor(10)) {
      advance(Duration.ofSeconds(3));
      assertThat(posts.get()).isEqualTo(3);
      assertThat(m.stats().reportsDropped()).isEqualTo(1);
      assertThat(deliveredWindowStarts()).hasSize(2);
    }
  }

  @Test
  void close_flushesRecordsAndSendsAFinalReport() {
    Monitor m = monitor(10);
    for (int i = 0; i < 10; i++) {
      m.record("late", InferenceRecord.of(Duration.ofMillis(3), Prediction.ofClass("dog", 1)));
    }
    m.close(); // no explicit flush: close writes the records, then reports them

    assertThat(delivered).hasSize(1);
    JsonNode last = delivered.get(0);
    assertThat(last.get("final").asBoolean()).isTrue();
    assertThat(last.get("models").get(0).get("model").asText()).isEqualTo("late");
    assertThat(last.get("models").get(0).get("inferences").asLong()).isEqualTo(10);
    assertThat(scheduler.pending()).as("no run left scheduled").isZero();
  }
}
