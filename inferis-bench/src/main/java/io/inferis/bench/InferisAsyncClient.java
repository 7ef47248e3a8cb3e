package io.inferis.bench;

import io.inferis.features.FeatureRepo;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * inferis through its async API ({@code getOnlineFeatures}), as an event-driven server calls it.
 */
final class InferisAsyncClient implements AsyncClient {

  private final InferisStore store;
  private final List<String> refs;

  /** {@code coalesce}: share reads of entities already in flight (the coalesced-reads variant). */
  InferisAsyncClient(String url, FeatureRepo repo, List<String> refs, boolean coalesce) {
    this.store = InferisStore.open(url, repo, coalesce);
    this.refs = refs;
  }

  @Override
  public CompletableFuture<?> lookup(List<Integer> entities) {
    return store.store().getOnlineFeatures(refs, InferisStore.rows(entities));
  }

  @Override
  public void close() {
    store.close();
  }
}
