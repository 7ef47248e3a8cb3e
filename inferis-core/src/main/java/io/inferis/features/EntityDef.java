package io.inferis.features;

import io.inferis.feast.ValueType;
import java.util.Objects;

/**
 * An entity: a name, the join key that identifies it in entity rows, and the join key's value type.
 * The type decides the key bytes (SPEC: an Int64 entity and an Int32 one give different keys).
 * Immutable.
 *
 * @param name entity name, e.g. {@code driver}
 * @param joinKey join key, e.g. {@code driver_id}
 * @param type one of STRING, BYTES, INT32, INT64, UNIX_TIMESTAMP (Feast's v3 key types)
 */
public record EntityDef(String name, String joinKey, ValueType type) {

  /** Validates the definition. */
  public EntityDef {
    Names.require("entity name", name);
    Names.require("join key of entity '" + name + "'", joinKey);
    Objects.requireNonNull(type, "type");
    switch (type) {
      case STRING, BYTES, INT32, INT64, UNIX_TIMESTAMP -> {}
      default ->
          throw new IllegalArgumentException(
              "entity '"
                  + name
                  + "' has join key type "
                  + type
                  + "; Feast keys support String, Bytes, Int32, Int64 and UnixTimestamp");
    }
  }
}
