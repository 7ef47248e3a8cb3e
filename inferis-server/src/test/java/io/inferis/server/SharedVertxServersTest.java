package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Servers that share one Vert.x and ask for a free port each get a port of their own. */
class SharedVertxServersTest {

  @Test
  void twoServersOnFreePorts_eachAnswerOnlyItsOwnRequests() throws Exception {
    ServerOptions open = ServerOptions.defaults().toBuilder().eventLoops(2).build();
    ServerOptions guarded =
        open.toBuilder().authToken("0123456789abcdef-secret").openHealth(false).build();
    Vertx vertx = FeatureHttpServer.newVertx(open);
    try (FeatureStore store = FeatureStores.memory(Demo.repo());
        FeatureHttpServer a = FeatureHttpServer.builder(vertx, store).options(open).build();
        FeatureHttpServer b = FeatureHttpServer.builder(vertx, store).options(guarded).build()) {
      int openPort = a.start("127.0.0.1", 0);
      int guardedPort = b.start("127.0.0.1", 0);

      assertThat(openPort).isNotEqualTo(guardedPort);
      // Each request on a connection of its own: a shared port would spread them over both
      // servers' event loops.
      for (int i = 0; i < 20; i++) {
        assertThat(status(openPort)).as("open server, request %d", i).isEqualTo(200);
        assertThat(status(guardedPort)).as("guarded server, request %d", i).isEqualTo(401);
      }
    } finally {
      vertx.close().await();
    }
  }

  private static int status(int port) throws Exception {
    // A client of its own: a new connection.
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
