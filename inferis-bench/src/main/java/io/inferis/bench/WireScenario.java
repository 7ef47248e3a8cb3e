package io.inferis.bench;

import java.util.List;

/**
 * A lookup shape of {@link WireLoad}: how many entities a request names and which features.
 *
 * @param name as the table shows it
 */
record WireScenario(String name, int entities, List<String> refs) {

  /** (a) 1 entity × 3 features, (b) 100 entities × 10 features. */
  static WireScenario named(String name) {
    return switch (name) {
      case "a" -> new WireScenario("(a) 1 entity x 3 features", 1, BenchData.refs(1).subList(0, 3));
      case "b" -> new WireScenario("(b) 100 entities x 10 features", 100, BenchData.refs(1));
      default -> throw new IllegalArgumentException("unknown scenario " + name + " (a, b)");
    };
  }

  /** The short name, as {@code --scenarios} takes it. */
  String key() {
    return name.substring(1, 2);
  }
}
