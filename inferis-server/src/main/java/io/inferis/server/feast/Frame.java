package io.inferis.server.feast;

import io.inferis.feast.FeatureValue;
import io.inferis.feast.ValueType;
import java.time.Instant;

/**
 * Rows to write, as a transport carries them: named columns of equal length (a JSON {@code df}, a
 * gRPC request's one-row map). Each cell is converted to the type the repository declares; a cell
 * that does not convert is a {@link ClientError} naming it.
 */
public interface Frame {

  /** What the request calls the rows ({@code df}), for messages. */
  String name();

  /** The number of rows. */
  int rows();

  /** Whether the frame has column {@code column}. */
  boolean has(String column);

  /** Row {@code row} of {@code column} as a value of {@code type}; empty for a null cell. */
  FeatureValue value(String column, int row, ValueType type);

  /** Row {@code row} of {@code column} as an event time. */
  Instant timestamp(String column, int row);
}
