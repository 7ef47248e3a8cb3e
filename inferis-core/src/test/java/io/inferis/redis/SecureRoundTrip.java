package io.inferis.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldStatus;
import io.inferis.feast.ValueType;
import io.inferis.features.EntityDef;
import io.inferis.features.FeatureDef;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureRow;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.features.FeatureViewDef;
import io.inferis.features.OnlineFeatures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** What the security tests check on every secured deployment: a round trip, and a fast failure. */
final class SecureRoundTrip {

  private SecureRoundTrip() {}

  /**
   * A refused connect must fail well inside the command timeout (no waiting for a reply that never
   * comes, no reconnect loop); the default command timeout is 2 s.
   */
  static final Duration FAST = Duration.ofMillis(1500);

  private static final FeatureRepo REPO =
      FeatureRepo.builder("secure_proj")
          .entity(new EntityDef("driver", "driver_id", ValueType.INT64))
          .view(
              new FeatureViewDef(
                  "driver_stats",
                  List.of("driver"),
                  List.of(new FeatureDef("conv_rate", ValueType.FLOAT)),
                  Duration.ZERO))
          .build();

  /** Writes and reads a feature row and a cache value through {@code connector}. */
  static void assertRoundTrip(RedisConnector connector) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Map<String, FeatureValue> driver = Map.of("driver_id", FeatureValue.ofInt64(1001));
    try (FeatureStore store = FeatureStores.redis(REPO, connector)) {
      store.writeRows(
          "driver_stats",
          List.of(new FeatureRow(driver, Map.of("conv_rate", FeatureValue.ofFloat(0.25f)), now)));
      OnlineFeatures r = store.get(List.of("driver_stats:conv_rate"), List.of(driver));
      assertThat(r.status(0, 0)).isEqualTo(FieldStatus.PRESENT);
      assertThat(r.value(0, 0)).isEqualTo(FeatureValue.ofFloat(0.25f));
    }
    try (Cache cache = Caches.redis(connector)) {
      cache.set("secure:{k}", "v".getBytes(StandardCharsets.UTF_8));
      assertThat(cache.get("secure:{k}")).hasValue("v".getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Asserts that {@code connect} throws {@code type} within {@link #FAST}, with a message that
   * names {@code hostPort} and contains {@code expected}, and no secret.
   */
  static void assertFailsFast(
      ThrowingCallable connect,
      Class<? extends RedisUnavailableException> type,
      String hostPort,
      String expected,
      String... secrets) {
    long start = System.nanoTime();
    assertThatThrownBy(connect)
        .isInstanceOf(type)
        .hasMessageContaining(hostPort)
        .hasMessageContaining(expected)
        .satisfies(e -> assertNoSecret(e, secrets));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);
  }

  /** Neither the message nor toString of {@code t} or any of its causes contains a secret. */
  static void assertNoSecret(Throwable t, String... secrets) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      for (String s : secrets) {
        assertThat(String.valueOf(c.getMessage())).doesNotContain(s);
        assertThat(c.toString()).doesNotContain(s);
      }
    }
  }
}
