package io.inferis.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferis.feast.ValueType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FeatureRepoYamlTest {

  static final String DRIVER_REPO =
      """
      project: driver_ranking
      entities:
        - name: driver
          join_keys: [driver_id]
          value_type: Int64
      feature_views:
        - name: driver_hourly_stats
          entities: [driver]
          ttl: 1d
          schema:
            - {name: conv_rate, dtype: Float32}
            - {name: acc_rate, dtype: Float32}
            - {name: avg_daily_trips, dtype: Int64}
        - name: global_stats
          ttl: 3600
          features:
            - {name: total_rides, dtype: Int64}
            - {name: tags, dtype: Array(String)}
      """;

  @Test
  void loadsEntitiesViewsTypesAndTtls() {
    FeatureRepo repo = FeatureRepo.parse(DRIVER_REPO, "feature_repo.yaml");
    assertThat(repo.project()).isEqualTo("driver_ranking");
    assertThat(repo.entity("driver"))
        .contains(new EntityDef("driver", "driver_id", ValueType.INT64));
    FeatureViewDef stats = repo.requireView("driver_hourly_stats");
    assertThat(stats.ttl()).isEqualTo(Duration.ofDays(1));
    assertThat(stats.features())
        .extracting(FeatureDef::type)
        .containsExactly(ValueType.FLOAT, ValueType.FLOAT, ValueType.INT64);
    FeatureViewDef global = repo.requireView("global_stats");
    assertThat(global.entities()).isEmpty();
    assertThat(global.ttl()).isEqualTo(Duration.ofHours(1));
    assertThat(global.feature("tags").orElseThrow().type()).isEqualTo(ValueType.STRING_LIST);
  }

  @Test
  void errorsNameTheFileAndTheProblem() {
    assertThatThrownBy(() -> FeatureRepo.parse("project: [", "repo.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("repo.yaml: not valid YAML");
    assertThatThrownBy(() -> FeatureRepo.parse("entities: []", "repo.yaml"))
        .hasMessageContaining("repo.yaml")
        .hasMessageContaining("'project' is required");
    assertThatThrownBy(
            () ->
                FeatureRepo.parse(
                    "project: p\nfeature_views:\n  - name: v\n    entities: [ghost]\n    schema: [{name: f, dtype: Int64}]",
                    "repo.yaml"))
        .hasMessageContaining("entity 'ghost'");
    assertThatThrownBy(
            () ->
                FeatureRepo.parse(
                    "project: p\nfeature_views:\n  - name: v\n    schema: [{name: f, dtype: Quaternion}]",
                    "repo.yaml"))
        .hasMessageContaining("Quaternion");
    assertThatThrownBy(
            () ->
                FeatureRepo.parse(
                    "project: p\nfeature_views:\n  - name: v\n    ttl: soon\n    schema: [{name: f, dtype: Int64}]",
                    "repo.yaml"))
        .hasMessageContaining("ttl 'soon'");
    assertThatThrownBy(
            () ->
                FeatureRepo.parse(
                    "project: p\nentities:\n  - {name: e, join_key: k, value_type: Float64}",
                    "repo.yaml"))
        .hasMessageContaining("join key type");
  }

  @Test
  void fuzz_garbageYaml_onlyEverThrowsIllegalArgument() {
    java.util.Random random = new java.util.Random(7);
    String alphabet =
        "project:entities-feature_views[]{}, \n\t:#&*!|>'\"%@`name dtype ttl schema Int64 1d";
    for (int i = 0; i < 3000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = random.nextInt(80); j > 0; j--) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      try {
        FeatureRepo.parse(sb.toString(), "fuzz.yaml");
      } catch (IllegalArgumentException expected) {
        // the only failure a caller sees
      } catch (RuntimeException e) {
        throw new AssertionError("input '" + sb + "' threw " + e, e);
      }
    }
  }
}
