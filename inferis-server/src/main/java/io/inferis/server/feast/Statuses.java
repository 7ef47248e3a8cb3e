package io.inferis.server.feast;

import io.inferis.feast.FieldStatus;

/**
 * How an answer reports the state of each value ({@code --statuses}).
 *
 * <ul>
 *   <li>{@link #PYTHON}: as Feast's Python feature server answers: every value {@code PRESENT}, a
 *       missing entity or field a null with the 1970 timestamp, and no view TTL applied on reads.
 *       Answers equal Feast's, so a client written against Feast sees no difference.
 *   <li>{@link #PRECISE}: the statuses of Feast's serving protobuf, as its Go server answers:
 *       {@code NOT_FOUND}, {@code NULL_VALUE}, {@code OUTSIDE_MAX_AGE} (the value is still
 *       returned), {@code INVALID}, else {@code PRESENT}.
 * </ul>
 */
public enum Statuses {
  PYTHON,
  PRECISE;

  /** The status {@code status} is reported as. */
  public FieldStatus report(FieldStatus status) {
    return this == PRECISE ? status : FieldStatus.PRESENT;
  }
}
