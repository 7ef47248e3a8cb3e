package io.inferis.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.HexFormat;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Property checks with seeded generators: a property runs on a fixed number of inputs drawn from a
 * {@link Random} with a fixed seed, so every run checks the same inputs, and a failure names the
 * seed, the try and the input.
 */
public final class Properties {

  /** Inputs per property: bounded, so {@code ./mvnw verify} stays fast. */
  public static final int TRIES = 500;

  private Properties() {}

  /** Runs {@code property} on {@link #TRIES} inputs drawn from {@code generator}. */
  public static <T> void forAll(long seed, Function<Random, T> generator, Consumer<T> property) {
    Random random = new Random(seed);
    for (int i = 0; i < TRIES; i++) {
      T input = generator.apply(random);
      try {
        property.accept(input);
      } catch (AssertionError | RuntimeException e) {
        fail("seed " + seed + ", try " + i + ", input " + describe(input) + ": " + e, e);
      }
    }
  }

  private static String describe(Object input) {
    String s = input instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(input);
    return s.length() > 500 ? s.substring(0, 500) + "..." : s;
  }
}
