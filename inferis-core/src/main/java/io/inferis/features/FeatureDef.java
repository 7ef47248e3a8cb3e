package io.inferis.features;

import io.inferis.feast.ValueType;
import java.util.Objects;

/**
 * A feature of a view: its name and value type. Immutable.
 *
 * @param name feature name, unique within its view
 * @param type the feature's value type
 */
public record FeatureDef(String name, ValueType type) {

  /** Validates the definition. */
  public FeatureDef {
    Names.require("feature name", name);
    Objects.requireNonNull(type, "type");
  }
}
