package io.inferis.feast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every vector of {@code feast-compat/vectors.json} (bytes produced by Feast itself; see
 * docs/FEAST-LAYOUT.md), byte for byte. Each test counts what it checked, so an empty section
 * cannot pass silently.
 */
class FeastVectorsTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode vectors;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in =
        FeastVectorsTest.class.getResourceAsStream("/feast-compat/vectors.json")) {
      assertThat(in).as("feast-compat/vectors.json on the test classpath").isNotNull();
      vectors = MAPPER.readTree(in);
    }
  }

  @Test
  void everySection_isCheckedByATest() {
    List<String> sections = new ArrayList<>();
    vectors.fieldNames().forEachRemaining(sections::add);

    assertThat(sections)
        .containsExactlyInAnyOrder(
            "_about",
            "redis_key_v3",
            "entity_key_v3_no_project",
            "entity_key_legacy_v1",
            "entity_value_bytes",
            "hash_field_names",
            "value_proto_bytes",
            "json_timestamp_rendering",
            "json_value_rendering",
            "status_names",
            "murmur3_x86_32_reference");
  }

  @Test
  void redisKeys_matchPythonVectors() {
    int checked = 0;
    for (JsonNode vector : vectors.get("redis_key_v3")) {
      Map<String, FeatureValue> key = VectorValues.entityKey(vector.get("entity_key"));
      byte[] redisKey = EntityKeys.redisKey(key, vector.get("project").asText());

      assertThat(HEX.formatHex(redisKey)).as(vector.get("id").asText()).isEqualTo(hex(vector));
      checked++;
    }
    assertThat(checked).isEqualTo(1);
  }

  @Test
  void entityKeys_matchGoVectors_andDecodeBack() {
    int checked = 0;
    for (JsonNode vector : vectors.get("entity_key_v3_no_project")) {
      Map<String, FeatureValue> key = VectorValues.entityKey(vector.get("entity_key"));

      assertThat(HEX.formatHex(EntityKeys.serialize(key))).isEqualTo(hex(vector));
      assertThat(EntityKeys.deserialize(HEX.parseHex(hex(vector)))).isEqualTo(key);
      checked++;
    }
    assertThat(checked).isEqualTo(1);
  }

  @Test
  void legacyV1Keys_areNeitherProducedNorAccepted() {
    int checked = 0;
    for (JsonNode vector : vectors.get("entity_key_legacy_v1")) {
      Map<String, FeatureValue> key = VectorValues.entityKey(vector.get("entity_key"));

      assertThat(HEX.formatHex(EntityKeys.serialize(key))).isNotEqualTo(hex(vector));
      assertThatThrownBy(() -> EntityKeys.deserialize(HEX.parseHex(hex(vector))))
          .isInstanceOf(FeastCodecException.class);
      checked++;
    }
    assertThat(checked).isEqualTo(1);
  }

  @Test
  void entityValuePayloads_matchPythonVectors() {
    int checked = 0;
    for (JsonNode vector : vectors.get("entity_value_bytes")) {
      String oneof = vector.get("oneof").asText();
      FeatureValue value =
          vector.has("value_hex")
              ? VectorValues.value(
                  MAPPER.createObjectNode().put(oneof + "_hex", vector.get("value_hex").asText()))
              : VectorValues.value(MAPPER.createObjectNode().set(oneof, vector.get("value")));

      assertThat(EntityKeys.typeTag("k", value))
          .as(oneof)
          .isEqualTo(vector.get("type_tag").asInt());
      assertThat(HEX.formatHex(EntityKeys.payload("k", value))).as(oneof).isEqualTo(hex(vector));
      checked++;
    }
    assertThat(checked).isEqualTo(4);
  }

  @Test
  void hashFieldNames_matchPythonVectors() {
    int checked = 0;
    for (JsonNode vector : vectors.get("hash_field_names")) {
      if (vector.has("input")) {
        String input = vector.get("input").asText();
        int colon = input.indexOf(':');
        byte[] split =
            FieldHashes.featureField(input.substring(0, colon), input.substring(colon + 1));

        assertThat(HEX.formatHex(FieldHashes.mmh3(input))).as(input).isEqualTo(hex(vector));
        assertThat(split).isEqualTo(FieldHashes.mmh3(input));
      } else {
        String view = vector.get("input_timestamp_field_for_view").asText();

        assertThat(FieldHashes.timestampField(view))
            .isEqualTo(Samples.utf8(vector.get("expected_field_utf8").asText()));
      }
      checked++;
    }
    assertThat(checked).isEqualTo(5);
  }

  @Test
  void valueProtos_matchDocVector_inBothDirections() {
    int checked = 0;
    for (JsonNode vector : vectors.get("value_proto_bytes")) {
      FeatureValue value = VectorValues.value(vector.get("value"));

      assertThat(HEX.formatHex(ValueCodec.encode(value))).isEqualTo(hex(vector));
      assertThat(ValueCodec.decode(HEX.parseHex(hex(vector)))).isEqualTo(value);
      checked++;
    }
    assertThat(checked).isEqualTo(1);
  }

  @Test
  void eventTimestamps_renderAsPythonVectors() {
    int checked = 0;
    for (JsonNode vector : vectors.get("json_timestamp_rendering")) {
      if (vector.has("_source")) {
        continue;
      }
      Instant instant =
          Instant.ofEpochSecond(vector.get("seconds").longValue(), vector.get("nanos").longValue());

      assertThat(Timestamps.format(instant)).isEqualTo(vector.get("expected").asText());
      assertThat(Timestamps.decode(Timestamps.encode(instant))).isEqualTo(instant);
      checked++;
    }
    assertThat(checked).isEqualTo(6);
  }

  @Test
  void values_renderAsPythonJsonVectors() throws IOException {
    int checked = 0;
    for (JsonNode vector : vectors.get("json_value_rendering")) {
      if (vector.has("_source")) {
        continue;
      }
      FeatureValue value = VectorValues.value(vector.get("value"));

      String json = FeastJson.toJson(value);

      assertThat(MAPPER.readTree(json))
          .as(vector.toString())
          .isEqualTo(vector.get("expected_json"));
      assertThat(ValueCodec.decode(ValueCodec.encode(value))).isEqualTo(value);
      checked++;
    }
    assertThat(checked).isEqualTo(18);
  }

  @Test
  void statusNames_matchFeast() {
    int checked = 0;
    for (Map.Entry<String, JsonNode> entry : vectors.get("status_names").properties()) {
      if (entry.getKey().startsWith("_")) {
        continue;
      }
      FieldStatus status = FieldStatus.forNumber(Integer.parseInt(entry.getKey()));

      assertThat(status.name()).isEqualTo(entry.getValue().asText());
      assertThat(status.number()).isEqualTo(Integer.parseInt(entry.getKey()));
      checked++;
    }
    assertThat(checked).isEqualTo(FieldStatus.values().length);
  }

  @Test
  void murmur3_matchesSpaolacciVectorsAsRaw32BitResults() {
    int checked = 0;
    for (JsonNode vector : vectors.get("murmur3_x86_32_reference").get("vectors")) {
      byte[] input = Samples.utf8(vector.get("input").asText());
      int expected = Integer.parseUnsignedInt(vector.get("h32").asText().substring(2), 16);

      assertThat(FieldHashes.murmur3(input, vector.get("seed").asInt()))
          .as(vector.toString())
          .isEqualTo(expected);
      if (vector.get("seed").asInt() == 0) {
        assertThat(FieldHashes.mmh3(vector.get("input").asText()))
            .isEqualTo(
                new byte[] {
                  (byte) expected,
                  (byte) (expected >>> 8),
                  (byte) (expected >>> 16),
                  (byte) (expected >>> 24)
                });
      }
      checked++;
    }
    assertThat(checked).isEqualTo(8);
  }

  private static String hex(JsonNode vector) {
    return vector.get("expected_hex").asText();
  }
}
