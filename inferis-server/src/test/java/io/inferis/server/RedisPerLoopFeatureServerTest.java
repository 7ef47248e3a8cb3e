package io.inferis.server;

/** The feature-server contract with a Redis connector per event loop, on that loop. */
class RedisPerLoopFeatureServerTest extends RedisFeatureServerTest {

  @Override
  protected FeatureHttpServer.Builder more(FeatureHttpServer.Builder server) {
    return perLoop(server, redis.get().uri());
  }
}
