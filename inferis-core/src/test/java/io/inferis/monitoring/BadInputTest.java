package io.inferis.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input is rejected with an {@link IllegalArgumentException} naming the argument; nothing is
 * queued for it. Runs on the memory cache: validation happens before the store is involved.
 */
class BadInputTest {

  private Cache cache;
  private Monitor monitor;
  private final MeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void start() {
    cache = Caches.memory();
    monitor =
        Monitoring.start(
            cache,
            MonitoringOptions.builder()
                .serverId("input")
                .maxMeteredModels(2)
                .meterRegistry(meters)
                .build());
  }

  @AfterEach
  void stop() {
    monitor.close();
    cache.close();
  }

  private static void rejects(ThrowingCallable call, String naming) {
    assertThatThrownBy(call)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(naming);
  }

  private static final InferenceRecord OK = InferenceRecord.of(Duration.ZERO, Prediction.none());

  @Test
  void recordAndRecordError_rejectMissingOrBlankArguments() {
    rejects(() -> monitor.record(null, OK), "modelId must not be null");
    rejects(() -> monitor.record(" \t", OK), "modelId must not be blank");
    rejects(() -> monitor.record("m".repeat(257), OK), "modelId must be at most 256");
    rejects(() -> monitor.record("m", null), "record must not be null");
    rejects(() -> monitor.recordError("m", null, new RuntimeException()), "request");
    rejects(() -> monitor.recordError("m", OK, null), "error must not be null");
    rejects(() -> monitor.recordError("", OK, new RuntimeException()), "modelId");
    assertThat(monitor.stats().recorded()).isZero();
  }

  @Test
  void recordBuilder_rejectsOutOfBoundsFields() {
    rejects(() -> InferenceRecord.builder().id(" "), "id must not be blank");
    rejects(() -> InferenceRecord.builder().id("x".repeat(129)), "id must be at most 128");
    rejects(() -> InferenceRecord.builder().latency(Duration.ofMillis(-1)), "latency must be >= 0");
    rejects(() -> InferenceRecord.builder().latencyMicros(-5), "latency");
    rejects(() -> InferenceRecord.builder().eventTimeMillis(-1), "eventTime");
    rejects(() -> InferenceRecord.builder().tag("", "v"), "tag key must not be blank");
    rejects(() -> InferenceRecord.builder().tag("k", null), "tag value of 'k'");
    rejects(() -> InferenceRecord.builder().tag("k", "v".repeat(129)), "tag value of 'k'");
    InferenceRecord.Builder full = InferenceRecord.builder();
    for (int i = 0; i < InferenceRecord.MAX_TAGS; i++) {
      full.tag("k" + i, "v");
    }
    rejects(() -> full.tag("one-more", "v"), "tags must be at most 16");
    rejects(() -> Prediction.ofClass("cat", Double.NaN), "confidence of 'cat' must be finite");
    rejects(() -> Prediction.ofClass(" ", 0.5), "class label must not be blank");
    rejects(() -> Prediction.values(new double[33]), "outputs must have at most 32");
    rejects(() -> Prediction.values(1, Double.POSITIVE_INFINITY), "outputs[1] must be finite");
  }

  @Test
  void options_rejectValuesThatWouldBreakTheKeysOrTheBounds() {
    MonitoringOptions.Builder b = MonitoringOptions.builder();
    rejects(() -> b.serverId("a:b"), "serverId");
    rejects(() -> b.serverId("{x}"), "serverId");
    rejects(() -> b.prefix("in{feris:"), "prefix");
    rejects(() -> b.queueCapacity(0), "queueCapacity must be between 1 and 16777216");
    rejects(() -> b.batchSize(0), "batchSize");
    rejects(() -> b.maxMembersPerKey(0), "maxMembersPerKey must be >= 1");
    rejects(() -> b.reportInterval(Duration.ZERO), "reportInterval must be at least 1 ms");
    rejects(() -> b.reportUrl(URI.create("ftp://x/")), "reportUrl must be http or https");
    rejects(() -> b.retryDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)), "retryMaxDelay");
    rejects(
        () -> MonitoringOptions.builder().window(Duration.ofSeconds(1)).build(),
        "flushInterval must be shorter than the window");
    rejects(() -> Monitoring.start(null), "cache must not be null");
    rejects(() -> Monitoring.query(cache, MonitoringOptions.defaults()), "serverId must be set");
  }

  @Test
  void defaults_areDocumentedAndConsistent() {
    MonitoringOptions d = MonitoringOptions.defaults();
    assertThat(d.prefix()).isEqualTo("inferis:");
    assertThat(d.window()).isEqualTo(Duration.ofSeconds(120));
    assertThat(d.heartbeatInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.maxMembersPerKey()).isEqualTo(MonitoringOptions.DEFAULT_MAX_MEMBERS_PER_KEY);
    assertThat(d.reportUrl()).isNull();
    try (Monitor m = Monitoring.start(cache)) {
      assertThat(m.serverId()).matches("[A-Za-z0-9._-]+-\\d+-[0-9a-f]{6}");
    }
  }

  @Test
  void prediction_keepsTheTopClassesByConfidence() {
    Map<String, Double> many = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      many.put("c" + i, i / 10.0);
    }
    Prediction p = Prediction.classes(many);
    assertThat(p.classes().keySet()).containsExactly("c9", "c8", "c7", "c6", "c5");
    assertThat(p.topClass()).contains("c9");
    assertThat(Prediction.classes(Map.of("b", 0.5, "a", 0.5)).topClass()).contains("a");
  }

  @Test
  void meters_countPerModel_andCapTheNumberOfModelTags() {
    monitor.record("m1", InferenceRecord.of(Duration.ofMillis(4), Prediction.none()));
    monitor.record("m1", InferenceRecord.of(Duration.ofMillis(6), Prediction.none()));
    monitor.recordError("m2", OK, new IllegalStateException("x"));
    monitor.record("m3", OK); // beyond maxMeteredModels = 2
    monitor.record("m4", OK);

    assertThat(meters.get("inferis.monitoring.inferences").tag("model", "m1").counter().count())
        .isEqualTo(2);
    assertThat(
            meters
                .get("inferis.monitoring.latency")
                .tag("model", "m1")
                .timer()
                .max(TimeUnit.MILLISECONDS))
        .isEqualTo(6.0);
    assertThat(meters.get("inferis.monitoring.errors").tag("model", "m2").counter().count())
        .isEqualTo(1);
    assertThat(meters.get("inferis.monitoring.inferences").tag("model", "_other").counter().count())
        .isEqualTo(2);
    assertThat(meters.find("inferis.monitoring.inferences").tag("model", "m3").counter()).isNull();
    assertThat(meters.get("inferis.monitoring.queue.depth").gauge()).isNotNull();
  }

  @Test
  void afterClose_recordNeverThrows_andCountsTheDrop() {
    monitor.close();
    monitor.record("m", OK);
    monitor.recordError("m", OK, new RuntimeException());
    assertThat(monitor.stats().droppedRecords()).isEqualTo(2);
  }
}
