package io.inferis.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JsonValuesTest {

  /** A typed value as callers would store it. */
  public record ModelInfo(String name, int version, List<String> features) {}

  private final Cache cache = Caches.memory();
  private final JsonValues<ModelInfo> models = JsonValues.of(cache, ModelInfo.class);

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void typedValues_roundTripAsJson() {
    ModelInfo info = new ModelInfo("driver-risk", 3, List.of("conv_rate", "acc_rate"));
    models.set("model:driver-risk", info, Duration.ofMinutes(1));
    assertThat(models.get("model:driver-risk")).contains(info);
    assertThat(new String(cache.get("model:driver-risk").orElseThrow(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"name\":\"driver-risk\",\"version\":3,\"features\":[\"conv_rate\",\"acc_rate\"]}");
    assertThat(cache.ttl("model:driver-risk").isExpiring()).isTrue();
    assertThat(models.get("model:other")).isEmpty();
    assertThat(models.delete("model:driver-risk")).isTrue();
  }

  @Test
  void storedBytesThatAreNotTheType_failWithATypedErrorNamingKeyAndType() {
    cache.set("model:bad", "not json".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> models.get("model:bad"))
        .isInstanceOf(CacheCodecException.class)
        .hasMessageContaining("model:bad")
        .hasMessageContaining("ModelInfo");
  }
}
