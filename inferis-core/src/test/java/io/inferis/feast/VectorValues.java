package io.inferis.feast;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code Value}s and entity keys of {@code vectors.json} into feature values. */
final class VectorValues {

  private static final HexFormat HEX = HexFormat.of();

  private VectorValues() {}

  static FeatureValue value(JsonNode node) {
    if (node.isEmpty()) {
      return FeatureValue.empty();
    }
    if (node.size() != 1) {
      throw new IllegalArgumentException("a vector value has one oneof field: " + node);
    }
    String field = node.fieldNames().next();
    JsonNode v = node.get(field);
    return switch (field) {
      case "null_val" -> FeatureValue.nullValue();
      case "bytes_val_hex" -> FeatureValue.ofBytes(HEX.parseHex(v.asText()));
      case "string_val" -> FeatureValue.ofString(v.asText());
      case "int32_val" -> FeatureValue.ofInt32(v.intValue());
      case "int64_val" -> FeatureValue.ofInt64(v.longValue());
      case "double_val" -> FeatureValue.ofDouble(v.doubleValue());
      case "float_val" -> FeatureValue.ofFloat((float) v.doubleValue());
      case "bool_val" -> FeatureValue.ofBool(v.booleanValue());
      case "unix_timestamp_val" -> FeatureValue.ofUnixTimestamp(v.longValue());
      case "json_val" -> FeatureValue.ofJson(v.asText());
      case "bytes_list_val_hex" -> {
        List<byte[]> bytes = new ArrayList<>();
        v.forEach(e -> bytes.add(HEX.parseHex(e.asText())));
        yield FeatureValue.ofBytesList(bytes);
      }
      case "int64_list_val" -> FeatureValue.ofInt64List(longs(v));
      case "unix_timestamp_list_val" -> FeatureValue.ofUnixTimestampList(longs(v));
      case "list_val" -> {
        List<FeatureValue> values = new ArrayList<>();
        v.forEach(e -> values.add(value(e)));
        yield FeatureValue.ofValueList(values);
      }
      case "map_val" -> {
        Map<String, FeatureValue> map = new LinkedHashMap<>();
        v.properties().forEach(e -> map.put(e.getKey(), value(e.getValue())));
        yield FeatureValue.ofMap(map);
      }
      case "zoned_timestamp_val" ->
          FeatureValue.ofZonedTimestamp(
              v.get("unix_timestamp").longValue(), v.get("zone").asText());
      default -> throw new IllegalArgumentException("no reader for vector field " + field);
    };
  }

  static Map<String, FeatureValue> entityKey(JsonNode node) {
    JsonNode names = node.get("join_keys");
    JsonNode values = node.get("values");
    Map<String, FeatureValue> key = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      key.put(names.get(i).asText(), value(values.get(i)));
    }
    return key;
  }

  private static long[] longs(JsonNode array) {
    long[] longs = new long[array.size()];
    for (int i = 0; i < longs.length; i++) {
      longs[i] = array.get(i).longValue();
    }
    return longs;
  }
}
