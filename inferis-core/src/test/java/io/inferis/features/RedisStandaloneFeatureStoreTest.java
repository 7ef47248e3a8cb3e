package io.inferis.features;

import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisStandaloneFeatureStoreTest extends FeatureStoreContract {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  private static RedisConnector connector;
  private static FeatureStore store;

  @BeforeAll
  static void connect() {
    connector = RedisConnector.connect(redis.get().uri());
    store = FeatureStores.redis(TestRepo.repo(), connector);
  }

  @AfterAll
  static void close() {
    store.close();
    connector.close();
  }

  @Override
  protected FeatureStore store() {
    return store;
  }
}
