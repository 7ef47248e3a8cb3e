package io.inferis.features;

import io.inferis.feast.FeatureValue;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One row to write to a feature view: the entity key (join key → value), the feature values (name →
 * value; a missing feature is written as an empty value, as Feast writes nulls) and the event time.
 * Immutable.
 *
 * @param entityKey join key → value, for the view's join keys
 * @param values feature name → value
 * @param eventTime when the values were observed; decides which write wins
 */
public record FeatureRow(
    Map<String, FeatureValue> entityKey, Map<String, FeatureValue> values, Instant eventTime) {

  /** Copies the maps. */
  public FeatureRow {
    entityKey = Map.copyOf(Objects.requireNonNull(entityKey, "entityKey"));
    values = Map.copyOf(Objects.requireNonNull(values, "values"));
    Objects.requireNonNull(eventTime, "eventTime");
  }
}
