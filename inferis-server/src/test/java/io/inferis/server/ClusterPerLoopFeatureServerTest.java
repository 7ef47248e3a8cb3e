package io.inferis.server;

/** The feature-server contract on a cluster, with a cluster connector per event loop. */
class ClusterPerLoopFeatureServerTest extends ClusterFeatureServerTest {

  @Override
  protected FeatureHttpServer.Builder more(FeatureHttpServer.Builder server) {
    return perLoop(server, redis.get().uri());
  }
}
