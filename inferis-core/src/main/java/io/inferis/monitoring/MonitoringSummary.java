package io.inferis.monitoring;

import java.util.List;
import java.util.Optional;

/**
 * The aggregate of a window: per model, over the servers in scope. Immutable.
 *
 * @param scope which servers it covers
 * @param windowStartMillis first epoch millisecond of the window (inclusive)
 * @param windowEndMillis end of the window, epoch milliseconds (exclusive)
 * @param servers the servers covered, sorted
 * @param models one summary per model that had records in the window, sorted by model id
 */
public record MonitoringSummary(
    Scope scope,
    long windowStartMillis,
    long windowEndMillis,
    List<String> servers,
    List<ModelSummary> models) {

  /** Copies the lists. */
  public MonitoringSummary {
    Args.notNull(scope, "scope");
    servers = List.copyOf(servers);
    models = List.copyOf(models);
  }

  /** The summary of {@code modelId}, if it had records in the window. */
  public Optional<ModelSummary> model(String modelId) {
    return models.stream().filter(m -> m.model().equals(modelId)).findFirst();
  }
}
