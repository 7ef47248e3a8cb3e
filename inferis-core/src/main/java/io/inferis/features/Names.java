package io.inferis.features;

/** Name checks shared by the definitions. */
final class Names {

  private Names() {}

  static String require(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    return value;
  }
}
