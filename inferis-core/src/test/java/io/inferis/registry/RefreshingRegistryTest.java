package io.inferis.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.registry.internal.proto.FeatureSpecV2;
import io.inferis.registry.internal.proto.FeatureView;
import io.inferis.registry.internal.proto.Registry;
import io.inferis.registry.internal.proto.ValueType;
import io.inferis.testing.FakeClock;
import io.inferis.testing.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Background refresh on a fake clock: new definitions arrive, a bad read keeps the last good. */
class RefreshingRegistryTest {

  @TempDir Path tmp;

  private final FakeClock clock = new FakeClock(1_700_000_000_000L);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** The real registry with one more view, a copy of driver_profile under another name. */
  private static byte[] withExtraView() throws Exception {
    Registry r = RealFeast.registry();
    FeatureView profile = RealFeast.view(r, "driver_profile");
    FeatureView extra =
        profile.toBuilder()
            .setSpec(
                profile.getSpec().toBuilder()
                    .setName("driver_extra")
                    .clearFeatures()
                    .addFeatures(
                        FeatureSpecV2.newBuilder()
                            .setName("mood")
                            .setValueType(ValueType.Enum.STRING)))
            .build();
    return r.toBuilder().addFeatureViews(extra).build().toByteArray();
  }

  @Test
  void aNewView_isServedAfterTheNextRefresh_andABadRegistryKeepsTheLastGood() throws Exception {
    Path file = RealFeast.copyRepo(tmp).resolve("data/registry.db");
    try (RefreshingRegistry registry =
        RefreshingRegistry.start(
            new FileRegistrySource(file, RealFeast.PROJECT),
            Duration.ofSeconds(60),
            clock,
            scheduler,
            meters)) {
      assertThat(registry.get().repo().view("driver_extra")).isEmpty();

      RealFeast.replace(file, withExtraView());
      scheduler.advance(Duration.ofSeconds(59));
      assertThat(registry.get().repo().view("driver_extra")).isEmpty();
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(registry.get().repo().view("driver_extra")).isPresent();
      assertThat(registry.age()).isZero();

      RealFeast.replace(file, "not a registry at all".getBytes(StandardCharsets.UTF_8));
      scheduler.advance(Duration.ofSeconds(60));
      assertThat(registry.get().repo().view("driver_extra")).isPresent();
      assertThat(registry.failures()).isEqualTo(1);
      assertThat(registry.lastFailure()).contains(file.toString());
      assertThat(registry.age()).isEqualTo(Duration.ofSeconds(60));
      assertThat(meters.get("inferis.registry.refresh.failures").counter().count()).isEqualTo(1);
      assertThat(meters.get("inferis.registry.age").gauge().value()).isEqualTo(60.0);

      RealFeast.replace(file, RealFeast.bytes("repo/data/registry.db"));
      scheduler.advance(Duration.ofSeconds(60));
      assertThat(registry.get().repo().view("driver_extra")).isEmpty();
      assertThat(registry.lastFailure()).isNull();
    }
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aZeroTtl_readsOnce() {
    Path file = RealFeast.copyRepo(tmp).resolve("data/registry.db");
    try (RefreshingRegistry registry =
        RefreshingRegistry.start(
            new FileRegistrySource(file, RealFeast.PROJECT),
            Duration.ZERO,
            clock,
            scheduler,
            null)) {
      assertThat(scheduler.pending()).isZero();
      assertThat(registry.get().project()).isEqualTo(RealFeast.PROJECT);
    }
  }
}
