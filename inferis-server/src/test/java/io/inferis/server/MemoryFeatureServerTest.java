package io.inferis.server;

import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;

class MemoryFeatureServerTest extends FeatureServerContract {

  @Override
  protected FeatureStore newStore() {
    return FeatureStores.memory(Demo.repo());
  }
}
