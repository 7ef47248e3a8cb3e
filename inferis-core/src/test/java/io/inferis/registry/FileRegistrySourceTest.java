package io.inferis.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferis.feast.ValueType;
import io.inferis.features.EntityDef;
import io.inferis.features.FeatureDef;
import io.inferis.features.FeatureViewDef;
import io.inferis.registry.FeastRegistry.Projection;
import io.inferis.registry.internal.proto.FeatureSpecV2;
import io.inferis.registry.internal.proto.FeatureView;
import io.inferis.registry.internal.proto.OnDemandFeatureView;
import io.inferis.registry.internal.proto.OnDemandFeatureViewSpec;
import io.inferis.registry.internal.proto.Registry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry file the real {@code feast apply} wrote, read as Feast's feature server reads it.
 */
class FileRegistrySourceTest {

  @TempDir Path tmp;

  private FeastRegistry read(String project) {
    Path repo = RealFeast.copyRepo(tmp);
    return new FileRegistrySource(repo.resolve("data/registry.db"), project).read();
  }

  @Test
  void theRealRegistry_givesItsEntitiesViewsServicesAndPushSources() {
    FeastRegistry r = read(RealFeast.PROJECT);

    assertThat(r.project()).isEqualTo(RealFeast.PROJECT);
    assertThat(r.repo().entities())
        .containsExactlyInAnyOrder(
            new EntityDef("driver", "driver_id", ValueType.INT64),
            new EntityDef("customer", "customer_id", ValueType.STRING));
    assertThat(r.repo().view("driver_hourly_stats"))
        .hasValue(
            new FeatureViewDef(
                "driver_hourly_stats",
                List.of("driver"),
                List.of(
                    new FeatureDef("conv_rate", ValueType.FLOAT),
                    new FeatureDef("acc_rate", ValueType.DOUBLE),
                    new FeatureDef("avg_daily_trips", ValueType.INT64),
                    new FeatureDef("rank", ValueType.INT32),
                    new FeatureDef("name", ValueType.STRING),
                    new FeatureDef("active", ValueType.BOOL)),
                Duration.ofHours(1)));
    assertThat(r.repo().view("driver_profile").orElseThrow().features())
        .extracting(FeatureDef::type)
        .containsExactly(
            ValueType.BYTES,
            ValueType.UNIX_TIMESTAMP,
            ValueType.STRING_LIST,
            ValueType.INT64_LIST,
            ValueType.DOUBLE_LIST);
    assertThat(r.repo().view("driver_customer_stats").orElseThrow().entities())
        .containsExactly("driver", "customer");
    assertThat(r.repo().views()).hasSize(4);
    assertThat(r.unservable()).isEmpty();

    assertThat(r.featureServices()).containsOnlyKeys("driver_activity", "customer_overview");
    assertThat(r.featureServices().get("customer_overview").projections())
        .containsExactly(
            new Projection(
                "customer_stats", "", List.of("lifetime_value", "segment", "orders"), Map.of()),
            new Projection("driver_customer_stats", "", List.of("trips_together"), Map.of()));
    assertThat(r.pushSources())
        .containsExactly(Map.entry("driver_stats_push", List.of("driver_hourly_stats")));
    assertThat(r.writeSchemas().get("driver_hourly_stats").timestampField())
        .isEqualTo("event_timestamp");
    assertThat(r.lastUpdated()).isAfter(java.time.Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void viewsInferisCannotServe_areListedWithTheReason_andTheRestServes() throws Exception {
    Registry real = RealFeast.registry();
    Registry.Builder b = real.toBuilder();
    for (int i = 0; i < b.getFeatureViewsCount(); i++) {
      FeatureView v = b.getFeatureViews(i);
      switch (v.getSpec().getName()) {
        case "customer_stats" ->
            b.setFeatureViews(i, v.toBuilder().setSpec(v.getSpec().toBuilder().setOnline(false)));
        case "driver_customer_stats" ->
            b.setFeatureViews(i, v.toBuilder().setSpec(v.getSpec().toBuilder().setDisabled(true)));
        case "driver_profile" -> // a value type from a Feast newer than inferis
            b.setFeatureViews(
                i,
                v.toBuilder()
                    .setSpec(
                        v.getSpec().toBuilder()
                            .setFeatures(
                                0, v.getSpec().getFeatures(0).toBuilder().setValueTypeValue(99))));
        default -> {}
      }
    }
    b.addOnDemandFeatureViews(
        OnDemandFeatureView.newBuilder()
            .setSpec(
                OnDemandFeatureViewSpec.newBuilder()
                    .setName("conv_rate_plus_one")
                    .setProject(RealFeast.PROJECT)
                    .addFeatures(
                        FeatureSpecV2.newBuilder()
                            .setName("x")
                            .setValueType(
                                io.inferis.registry.internal.proto.ValueType.Enum.DOUBLE))));
    Path file = tmp.resolve("registry.db");
    Files.write(file, b.build().toByteArray());

    FeastRegistry r = new FileRegistrySource(file, RealFeast.PROJECT).read();

    assertThat(r.unservable())
        .containsOnlyKeys(
            "customer_stats", "driver_customer_stats", "conv_rate_plus_one", "driver_profile");
    assertThat(r.unservable().get("customer_stats")).contains("online=False");
    assertThat(r.unservable().get("driver_customer_stats")).contains("disabled");
    assertThat(r.unservable().get("conv_rate_plus_one")).contains("on-demand");
    assertThat(r.unservable().get("driver_profile")).contains("ValueType number 99");
    assertThat(r.repo().view("driver_hourly_stats")).isPresent();
    assertThat(r.repo().view("customer_stats")).isEmpty();
  }

  @Test
  void aRegistryOfAnotherProject_failsNamingTheProjectsItHolds() {
    assertThatThrownBy(() -> read("other_project"))
        .isInstanceOf(FeastConfigException.class)
        .hasMessageContaining("holds nothing of project 'other_project'")
        .hasMessageContaining(RealFeast.PROJECT);
  }

  @Test
  void aFileThatIsNotARegistry_failsNamingIt() throws Exception {
    Path text = tmp.resolve("registry.db");
    Files.writeString(text, "project: not a registry\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> new FileRegistrySource(text, RealFeast.PROJECT).read())
        .isInstanceOf(FeastConfigException.class)
        .hasMessageContaining(text.toString());
    Path missing = tmp.resolve("missing.db");
    assertThatThrownBy(() -> new FileRegistrySource(missing, RealFeast.PROJECT).read())
        .hasMessageContaining("does not exist");
  }
}
