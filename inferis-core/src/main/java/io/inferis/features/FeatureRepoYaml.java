package io.inferis.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.inferis.feast.ValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code feature_repo.yaml}. Field names follow Feast's Python definitions: entities have
 * {@code join_key}/{@code join_keys} and {@code value_type}; views have {@code entities}, {@code
 * ttl} and {@code schema} (or {@code features}) of {@code name}/{@code dtype}. Every error names
 * the file and the offending path.
 */
final class FeatureRepoYaml {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private FeatureRepoYaml() {}

  static FeatureRepo load(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  static FeatureRepo parse(String text, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          source + ": expected a mapping with 'project', 'entities' and 'feature_views'");
    }
    try {
      FeatureRepo.Builder b = FeatureRepo.builder(text(root, "project", source));
      for (JsonNode e : array(root, "entities", source)) {
        b.entity(entity(e, source));
      }
      for (JsonNode v : array(root, "feature_views", source)) {
        b.view(view(v, source));
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith(source)
          ? e
          : new IllegalArgumentException(source + ": " + e.getMessage());
    }
  }

  private static EntityDef entity(JsonNode n, String source) {
    String name = text(n, "name", source + " entities[]");
    String where = source + " entity '" + name + "'";
    String joinKey;
    if (n.hasNonNull("join_key")) {
      joinKey = text(n, "join_key", where);
    } else if (n.has("join_keys")) {
      List<JsonNode> keys = array(n, "join_keys", where);
      if (keys.size() != 1) {
        throw new IllegalArgumentException(
            where + ": exactly one join key is supported, got " + keys.size());
      }
      joinKey = keys.get(0).asText();
    } else {
      joinKey = name;
    }
    String type = n.hasNonNull("value_type") ? text(n, "value_type", where) : "String";
    return new EntityDef(name, joinKey, type(type, where));
  }

  private static FeatureViewDef view(JsonNode n, String source) {
    String name = text(n, "name", source + " feature_views[]");
    String where = source + " feature view '" + name + "'";
    List<String> entities = new ArrayList<>();
    if (n.has("entities")) {
      for (JsonNode e : array(n, "entities", where)) {
        entities.add(e.asText());
      }
    }
    String schemaField = n.has("schema") ? "schema" : "features";
    List<FeatureDef> features = new ArrayList<>();
    for (JsonNode f : array(n, schemaField, where)) {
      String fname = text(f, "name", where + " " + schemaField + "[]");
      features.add(
          new FeatureDef(fname, type(text(f, "dtype", where + " feature '" + fname + "'"), where)));
    }
    Duration ttl = n.hasNonNull("ttl") ? duration(n.get("ttl"), where) : Duration.ZERO;
    return new FeatureViewDef(name, entities, features, ttl);
  }

  private static ValueType type(String dtype, String where) {
    try {
      return ValueType.parse(dtype);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  /** Seconds as a number, or {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}, or ISO-8601. */
  static Duration duration(JsonNode n, String where) {
    if (n.isNumber()) {
      if (n.asLong() < 0) {
        throw new IllegalArgumentException(where + ": ttl must be >= 0, was " + n.asText());
      }
      return Duration.ofSeconds(n.asLong());
    }
    String s = n.asText().trim();
    try {
      if (s.matches("\\d+[smhd]")) {
        long v = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
          case 's' -> Duration.ofSeconds(v);
          case 'm' -> Duration.ofMinutes(v);
          case 'h' -> Duration.ofHours(v);
          default -> Duration.ofDays(v);
        };
      }
      if (s.matches("\\d+")) {
        return Duration.ofSeconds(Long.parseLong(s));
      }
      return Duration.parse(s);
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(
          where + ": ttl '" + s + "' is not a duration (seconds, 90s, 15m, 2h, 1d or ISO-8601)");
    }
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": '" + field + "' is required");
    }
    return v.asText();
  }

  private static List<JsonNode> array(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(where + ": '" + field + "' must be a list");
    }
    List<JsonNode> out = new ArrayList<>();
    v.forEach(out::add);
    return out;
  }
}
