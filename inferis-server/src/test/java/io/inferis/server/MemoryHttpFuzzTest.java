package io.inferis.server;

import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;

class MemoryHttpFuzzTest extends HttpFuzzContract {

  @Override
  protected FeatureStore newStore() {
    return FeatureStores.memory(Demo.repo());
  }

  @Override
  protected int requests() {
    return 3_000;
  }
}
