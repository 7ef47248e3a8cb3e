package io.inferis.features;

import io.inferis.feast.EntityKeys;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.ValueType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a view's entity key from an entity row, converting each join value to the type the entity
 * declares (the type decides the key bytes), with errors that name the row and the key.
 */
final class RowKeys {

  private RowKeys() {}

  static Map<String, FeatureValue> entityKey(
      FeatureRepo repo, FeatureViewDef view, Map<String, FeatureValue> row, int rowIndex) {
    List<EntityDef> entities = repo.entitiesOf(view);
    if (entities.isEmpty()) {
      return EntityKeys.entityless();
    }
    Map<String, FeatureValue> key = new LinkedHashMap<>(2 * entities.size());
    for (EntityDef e : entities) {
      FeatureValue v = row.get(e.joinKey());
      if (v == null) {
        throw new InvalidRequestException(
            "entity row "
                + rowIndex
                + " has no value for join key '"
                + e.joinKey()
                + "' (needed by feature view '"
                + view.name()
                + "')");
      }
      key.put(
          e.joinKey(),
          coerce(v, e.type(), "join key '" + e.joinKey() + "' of entity row " + rowIndex));
    }
    return key;
  }

  /**
   * {@code v} as a value of {@code type}: the same type, or an integer that fits (int32 ↔ int64 ↔
   * unix timestamp). Anything else is an {@link InvalidRequestException} naming {@code what}.
   */
  static FeatureValue coerce(FeatureValue v, ValueType type, String what) {
    if (v.type() == type) {
      return v;
    }
    boolean integral =
        v.type() == ValueType.INT32
            || v.type() == ValueType.INT64
            || v.type() == ValueType.UNIX_TIMESTAMP;
    if (integral) {
      long n = v.type() == ValueType.INT32 ? v.int32Value() : v.int64Value();
      switch (type) {
        case INT64:
          return FeatureValue.ofInt64(n);
        case UNIX_TIMESTAMP:
          return FeatureValue.ofUnixTimestamp(n);
        case INT32:
          if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
            return FeatureValue.ofInt32((int) n);
          }
          throw new InvalidRequestException(what + ": " + n + " does not fit Int32");
        default:
          break;
      }
    }
    throw new InvalidRequestException(what + " must be " + type + ", was " + v.type());
  }
}
