package io.inferis.server;

import io.inferis.feast.FeatureValue;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureRow;
import io.inferis.features.FeatureStore;
import io.inferis.features.OnlineFeatures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A store that passes every call to {@link #delegate()}, the store it was made with unless a
 * subclass says otherwise: a subclass changes only what it must. Both lookups pass through {@link
 * #lookup}. Thread-safe if the delegates are.
 */
abstract class ForwardingStore implements FeatureStore {

  private final FeatureStore store;

  protected ForwardingStore(FeatureStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** The store a call goes to: the one this was made with, unless overridden. */
  protected FeatureStore delegate() {
    return store;
  }

  /** Both lookups: within {@code deadline}, or the store's default deadline when null. */
  protected CompletableFuture<OnlineFeatures> lookup(
      List<String> featureRefs,
      List<Map<String, FeatureValue>> entityRows,
      @Nullable Duration deadline) {
    FeatureStore store = delegate();
    return deadline == null
        ? store.getOnlineFeatures(featureRefs, entityRows)
        : store.getOnlineFeatures(featureRefs, entityRows, deadline);
  }

  @Override
  public FeatureRepo repo() {
    return delegate().repo();
  }

  @Override
  public final CompletableFuture<OnlineFeatures> getOnlineFeatures(
      List<String> featureRefs, List<Map<String, FeatureValue>> entityRows, Duration deadline) {
    return lookup(featureRefs, entityRows, deadline);
  }

  @Override
  public final CompletableFuture<OnlineFeatures> getOnlineFeatures(
      List<String> featureRefs, List<Map<String, FeatureValue>> entityRows) {
    return lookup(featureRefs, entityRows, null);
  }

  @Override
  public CompletableFuture<Integer> write(String view, List<FeatureRow> rows) {
    return delegate().write(view, rows);
  }

  @Override
  public void close() {
    delegate().close();
  }
}
