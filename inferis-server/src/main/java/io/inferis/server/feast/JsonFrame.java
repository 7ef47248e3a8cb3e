package io.inferis.server.feast;

import com.fasterxml.jackson.databind.JsonNode;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.ValueType;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A JSON {@code df}: column → list of values, every list the same length. */
final class JsonFrame implements Frame {

  private final JsonNode df;
  private final int rows;

  /**
   * @throws ClientError when {@code df} is not an object of equal-length lists
   */
  JsonFrame(@Nullable JsonNode df) {
    if (df == null || !df.isObject() || df.isEmpty()) {
      throw ClientError.invalid("'df' must be an object of column -> list of values");
    }
    int n = -1;
    for (Iterator<Map.Entry<String, JsonNode>> it = df.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> c = it.next();
      if (!c.getValue().isArray()) {
        throw ClientError.invalid("df." + c.getKey() + " must be a list");
      }
      if (n >= 0 && c.getValue().size() != n) {
        throw ClientError.invalid(
            "every df column must have the same length; '" + c.getKey() + "' differs");
      }
      n = c.getValue().size();
    }
    this.df = df;
    this.rows = n;
  }

  @Override
  public String name() {
    return "df";
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public boolean has(String column) {
    return df.has(column);
  }

  @Override
  public FeatureValue value(String column, int row, ValueType type) {
    return JsonInputs.value(df.get(column).get(row), type, "df." + column + "[" + row + "]");
  }

  @Override
  public Instant timestamp(String column, int row) {
    return JsonInputs.timestamp(df.get(column).get(row), "df." + column + "[" + row + "]");
  }
}
