package io.inferis.features;

import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldStatus;
import java.time.Instant;
import java.util.List;

/**
 * The answer to a lookup: for each entity row (request order) and each requested feature (request
 * order) a value, a status and the event timestamp. Statuses follow Feast's Go server: {@code
 * NOT_FOUND} when the entity or field is missing, {@code NULL_VALUE} for a stored empty or null
 * value, {@code OUTSIDE_MAX_AGE} (value still returned) when older than the view's TTL, else {@code
 * PRESENT}. Immutable.
 */
public final class OnlineFeatures {

  private final List<FeatureRef> features;
  private final int rows;
  private final FeatureValue[] values;
  private final FieldStatus[] statuses;
  private final Instant[] timestamps;

  OnlineFeatures(
      List<FeatureRef> features,
      int rows,
      FeatureValue[] values,
      FieldStatus[] statuses,
      Instant[] timestamps) {
    this.features = List.copyOf(features);
    this.rows = rows;
    this.values = values;
    this.statuses = statuses;
    this.timestamps = timestamps;
  }

  /** The requested features, in request order. */
  public List<FeatureRef> features() {
    return features;
  }

  /** Number of entity rows. */
  public int rowCount() {
    return rows;
  }

  /** The value of feature {@code feature} for entity row {@code row}. */
  public FeatureValue value(int row, int feature) {
    return values[index(row, feature)];
  }

  /** The status of feature {@code feature} for entity row {@code row}. */
  public FieldStatus status(int row, int feature) {
    return statuses[index(row, feature)];
  }

  /** The event timestamp ({@link Instant#EPOCH} when unknown). */
  public Instant eventTime(int row, int feature) {
    return timestamps[index(row, feature)];
  }

  private int index(int row, int feature) {
    if (row < 0 || row >= rows || feature < 0 || feature >= features.size()) {
      throw new IndexOutOfBoundsException("row " + row + ", feature " + feature);
    }
    return row * features.size() + feature;
  }
}
