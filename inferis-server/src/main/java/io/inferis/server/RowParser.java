package io.inferis.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.ValueType;
import io.inferis.features.EntityDef;
import io.inferis.features.FeatureDef;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureRow;
import io.inferis.features.FeatureViewDef;
import io.inferis.server.feast.ClientError;
import io.inferis.server.feast.JsonInputs;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one input record (a JSON object, or a CSV row as column → text) into a {@link FeatureRow}
 * of a view, by the types the repository declares. Used by {@code inferis load}. Errors are {@link
 * IllegalArgumentException}s naming the column.
 */
public final class RowParser {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FeatureViewDef view;
  private final List<EntityDef> entities;
  private final String timestampColumn;

  /** A parser for {@code view}; {@code timestampColumn} holds each row's event time. */
  public RowParser(FeatureRepo repo, String view, String timestampColumn) {
    this.view = repo.requireView(view);
    this.entities = repo.entitiesOf(this.view);
    this.timestampColumn = timestampColumn;
  }

  /** A row from a JSON object. */
  public FeatureRow fromJson(JsonNode record) {
    if (record == null || !record.isObject()) {
      throw new IllegalArgumentException("a record must be a JSON object");
    }
    return build(record::get);
  }

  /** A row from CSV text cells (empty cell = null value). */
  public FeatureRow fromText(Map<String, String> cells) {
    return build(
        column -> {
          String text = cells.get(column);
          if (text == null || text.isEmpty()) {
            return text == null ? null : JsonNodeFactory.instance.nullNode();
          }
          return cell(text, typeOf(column));
        });
  }

  private FeatureRow build(java.util.function.Function<String, JsonNode> column) {
    try {
      Map<String, FeatureValue> key = new HashMap<>();
      for (EntityDef e : entities) {
        JsonNode v = column.apply(e.joinKey());
        if (v == null || v.isNull()) {
          throw new IllegalArgumentException("join key column '" + e.joinKey() + "' is missing");
        }
        key.put(e.joinKey(), JsonInputs.value(v, e.type(), e.joinKey()));
      }
      Map<String, FeatureValue> values = new HashMap<>();
      for (FeatureDef f : view.features()) {
        JsonNode v = column.apply(f.name());
        if (v != null) {
          values.put(f.name(), JsonInputs.value(v, f.type(), f.name()));
        }
      }
      JsonNode ts = column.apply(timestampColumn);
      if (ts == null || ts.isNull()) {
        throw new IllegalArgumentException("timestamp column '" + timestampColumn + "' is missing");
      }
      Instant t = JsonInputs.timestamp(ts, timestampColumn);
      return new FeatureRow(key, values, t);
    } catch (ClientError e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private ValueType typeOf(String column) {
    for (EntityDef e : entities) {
      if (e.joinKey().equals(column)) {
        return e.type();
      }
    }
    return view.feature(column).map(FeatureDef::type).orElse(ValueType.STRING);
  }

  /** CSV text as the JSON node the declared type expects. */
  private JsonNode cell(String text, ValueType type) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    try {
      return switch (type) {
        case INT32, INT64 -> f.numberNode(Long.parseLong(text.trim()));
        case FLOAT, DOUBLE -> f.numberNode(Double.parseDouble(text.trim()));
        case BOOL -> f.booleanNode(Boolean.parseBoolean(text.trim()));
        case UNIX_TIMESTAMP ->
            text.trim().matches("-?\\d+")
                ? f.numberNode(Long.parseLong(text.trim()))
                : f.textNode(text);
        default -> type.isCollection() ? JSON.readTree(text) : f.textNode(text);
      };
    } catch (NumberFormatException e) {
      return f.textNode(text); // JsonInputs then names the column and the expected type
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("list cell is not a JSON array: " + text);
    }
  }
}
