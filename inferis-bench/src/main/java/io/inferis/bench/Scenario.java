package io.inferis.bench;

import java.util.List;

/**
 * One lookup shape: how many entities a request names and which features it asks for each.
 *
 * @param name as the table shows it
 */
record Scenario(String name, int entities, List<String> refs) {

  /** The scenarios' short names, as {@code --scenarios} takes them. */
  static final List<String> NAMES = List.of("a", "b", "c");

  /** Scenario (a) 1 entity × 10 features, (b) 1 × 250 (25 views × 10) or (c) 100 × 250. */
  static Scenario named(String name) {
    return switch (name) {
      case "a" -> new Scenario("(a) 1 entity x 10 features", 1, BenchData.refs(1));
      case "b" -> new Scenario("(b) 1 entity x 250 features", 1, BenchData.refs(BenchData.VIEWS));
      case "c" ->
          new Scenario("(c) 100 entities x 250 features", 100, BenchData.refs(BenchData.VIEWS));
      default -> throw new IllegalArgumentException("unknown scenario " + name);
    };
  }
}
