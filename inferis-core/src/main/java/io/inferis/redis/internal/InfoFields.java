package io.inferis.redis.internal;

import org.jspecify.annotations.Nullable;

/** Fields of an {@code INFO} answer ({@code name:value} lines). */
final class InfoFields {

  private InfoFields() {}

  /** The value of {@code name} in {@code info}, or null if it has no such line. */
  static @Nullable String get(String info, String name) {
    String prefix = name + ":";
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).trim();
      }
    }
    return null;
  }

  /** The number {@code name} holds in {@code info}, or {@code orElse} if none or not a number. */
  static long number(String info, String name, long orElse) {
    String v = get(info, name);
    if (v == null) {
      return orElse;
    }
    int dot = v.indexOf('.');
    try {
      return Long.parseLong(dot < 0 ? v : v.substring(0, dot));
    } catch (NumberFormatException e) {
      return orElse;
    }
  }
}
