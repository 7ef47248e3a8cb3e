package io.inferis.features;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class MemoryFeatureStoreTest extends FeatureStoreContract {

  private FeatureStore store;

  @BeforeEach
  void create() {
    store = FeatureStores.memory(TestRepo.repo());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Override
  protected FeatureStore store() {
    return store;
  }
}
