package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.cache.Caches;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Entity rows follow one set of rules on every endpoint that takes them (EntityRows): unknown join
 * keys are ignored, a null key is rejected, lists of unequal length are rejected, rows over the
 * limit are too many.
 */
class EntityRowRulesTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private FeatureStore store;
  private DemoServer demo;

  @BeforeEach
  void start() {
    store = FeatureStores.memory(Demo.repo());
    Demo.load(store);
    demo =
        DemoServer.start(
            store, Caches.memory(), "rules", ServerOptions.builder().maxEntities(2).build());
  }

  @AfterEach
  void stop() {
    demo.close();
  }

  /** The body of a request to {@code endpoint} with {@code entities}. */
  private static String body(String endpoint, String entities) {
    return endpoint.equals("/get-online-features")
        ? "{\"features\":[\"driver_hourly_stats:conv_rate\"],\"entities\":" + entities + "}"
        : "{\"entities\":" + entities + "}";
  }

  private int post(String endpoint, String entities) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(demo.base() + endpoint))
                .POST(HttpRequest.BodyPublishers.ofString(body(endpoint, entities)))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/get-online-features", "/infer/driver-risk"})
  void everyEndpoint_readsEntityRowsByTheSameRules(String endpoint) throws Exception {
    assertThat(post(endpoint, "{\"driver_id\":[1001]}")).isEqualTo(200);
    assertThat(post(endpoint, "{\"driver_id\":[1001],\"not_a_join_key\":[\"x\",\"y\"]}"))
        .as("unknown join keys are ignored")
        .isEqualTo(200);
    assertThat(post(endpoint, "{\"driver_id\":[null]}")).as("null key").isEqualTo(422);
    assertThat(post(endpoint, "{\"driver_id\":\"1001\"}")).as("not a list").isEqualTo(422);
    assertThat(post(endpoint, "{\"driver_id\":[\"abc\"]}")).as("wrong type").isEqualTo(422);
    assertThat(post(endpoint, "{\"driver_id\":[1001,1002,1003]}")).as("rows").isEqualTo(413);
  }
}
