package io.inferis.feast;

/**
 * The status of one value in a Feast feature-server response ({@code FieldStatus} in Feast's
 * serving protos), shown by name in {@code results[].statuses}. Thread-safe.
 *
 * <p>Feast's Python server on Redis reports {@link #PRESENT} for every requested feature, even a
 * missing one; Feast's Go and legacy Java servers also use {@link #NOT_FOUND}, {@link #NULL_VALUE}
 * and {@link #OUTSIDE_MAX_AGE}.
 */
public enum FieldStatus {
  /** Status 0: not set. */
  INVALID,
  /** Status 1: the value was found (on Python's Redis path, always). */
  PRESENT,
  /** Status 2: found, but the stored value is null. */
  NULL_VALUE,
  /** Status 3: no value was stored for the entity. */
  NOT_FOUND,
  /** Status 4: the value is older than the feature view's TTL. */
  OUTSIDE_MAX_AGE;

  /** Feast's enum number, 0 to 4. */
  public int number() {
    return ordinal();
  }

  /**
   * The status with Feast's enum number {@code number}.
   *
   * @throws IllegalArgumentException if {@code number} is not 0 to 4
   */
  public static FieldStatus forNumber(int number) {
    FieldStatus[] all = values();
    if (number < 0 || number >= all.length) {
      throw new IllegalArgumentException("Feast has no FieldStatus number " + number);
    }
    return all[number];
  }
}
