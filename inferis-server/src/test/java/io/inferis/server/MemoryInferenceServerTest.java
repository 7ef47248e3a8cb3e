package io.inferis.server;

import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;

class MemoryInferenceServerTest extends InferenceServerContract {

  @Override
  protected FeatureStore newStore() {
    return FeatureStores.memory(Demo.repo());
  }

  @Override
  protected Cache newCache() {
    return Caches.memory();
  }
}
