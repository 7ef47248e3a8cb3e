package io.inferis.server;

import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisFeatureServerTest extends FeatureServerContract {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  private static RedisConnector connector;

  @BeforeAll
  static void connect() {
    connector = RedisConnector.connect(redis.get().uri());
  }

  @AfterAll
  static void close() {
    connector.close();
  }

  @Override
  protected FeatureStore newStore() {
    return FeatureStores.redis(Demo.repo(), connector);
  }
}
