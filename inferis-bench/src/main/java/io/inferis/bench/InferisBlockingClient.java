package io.inferis.bench;

import io.inferis.features.FeatureRepo;
import io.inferis.features.OnlineFeatures;
import java.util.List;

/** inferis through its blocking API ({@code FeatureStore.get}) over a shared connector. */
final class InferisBlockingClient implements BlockingClient {

  private final InferisStore store;
  private final List<String> refs;

  InferisBlockingClient(String url, FeatureRepo repo, List<String> refs) {
    this.store = InferisStore.open(url, repo, false);
    this.refs = refs;
  }

  @Override
  public int lookup(List<Integer> entities) {
    OnlineFeatures r = store.store().get(refs, InferisStore.rows(entities));
    return r.rowCount() * r.features().size();
  }

  @Override
  public void close() {
    store.close();
  }
}
