package io.inferis.cache;

import java.util.Objects;

/** Argument checks shared by every backend, so both reject the same input the same way. */
final class Keys {

  private Keys() {}

  static String requireKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    return key;
  }
}
