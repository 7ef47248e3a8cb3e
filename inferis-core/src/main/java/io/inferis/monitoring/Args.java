package io.inferis.monitoring;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Argument checks of the monitoring API. Bad input is an {@link IllegalArgumentException} whose
 * message names the argument (including null, so callers see one exception type for bad input).
 */
final class Args {

  /** Longest model id; it is part of a key and of a registry member. */
  static final int MAX_MODEL_ID_LENGTH = 256;

  private Args() {}

  static <T> T notNull(@Nullable T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }

  static String notBlank(@Nullable String value, String name, int maxLength) {
    notNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    if (value.length() > maxLength) {
      throw new IllegalArgumentException(
          name + " must be at most " + maxLength + " characters, was " + value.length());
    }
    return value;
  }

  static String modelId(@Nullable String modelId) {
    return notBlank(modelId, "modelId", MAX_MODEL_ID_LENGTH);
  }

  static Duration positive(@Nullable Duration d, String name) {
    notNull(d, name);
    if (d.toMillis() < 1) {
      throw new IllegalArgumentException(name + " must be at least 1 ms, was " + d);
    }
    return d;
  }

  static int atLeast(int v, int min, String name) {
    if (v < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", was " + v);
    }
    return v;
  }

  static int between(int v, int min, int max, String name) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", was " + v);
    }
    return v;
  }

  static double finite(double v, String name) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be finite, was " + v);
    }
    return v;
  }
}
