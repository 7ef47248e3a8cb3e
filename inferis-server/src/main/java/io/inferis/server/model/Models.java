package io.inferis.server.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The models a server runs, by name: built-in ones from {@code *.json} files, or registered. */
public final class Models {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Model> byName = new ConcurrentHashMap<>();

  /** No models. */
  public Models() {}

  /**
   * Loads every {@code *.json} file of {@code dir} as a {@link LinearModel}.
   *
   * @throws IllegalArgumentException naming the file and the problem
   */
  public static Models load(Path dir) throws IOException {
    Models models = new Models();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        try {
          models.register(LinearModel.parse(JSON.readTree(f.toFile()), f.toString()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalArgumentException(f + ": not valid JSON: " + e.getOriginalMessage());
        }
      }
    }
    return models;
  }

  /** The demo's logistic {@code driver-risk} model over the driver-stats features. */
  public static Model driverRisk() {
    return new LinearModel(
        "driver-risk",
        true,
        -0.5,
        Map.of(
            "driver_hourly_stats:conv_rate", -2.0,
            "driver_hourly_stats:acc_rate", -1.5,
            "driver_hourly_stats:avg_daily_trips", 0.004),
        java.util.List.of("low", "high"));
  }

  /** Adds (or replaces) a model. */
  public Models register(Model model) {
    byName.put(model.name(), model);
    return this;
  }

  /** The model called {@code name}. */
  public Optional<Model> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Model names, sorted. */
  public java.util.Set<String> names() {
    return new TreeMap<>(byName).keySet();
  }
}
