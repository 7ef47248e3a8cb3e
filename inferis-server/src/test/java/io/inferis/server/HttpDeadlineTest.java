package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The request deadline ({@code --request-timeout}) and the store's in-flight limit, end to end on a
 * Redis that stops answering (SIGSTOP): 504 at the deadline, 503 with {@code Retry-After} for a
 * request that cannot get an in-flight slot in time.
 */
class HttpDeadlineTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  private static final String LOOKUP =
      "{\"features\":[\"driver_hourly_stats:conv_rate\"],\"entities\":{\"driver_id\":[1001]}}";

  @Test
  void stalledRedis_answers504AtTheDeadline_and503WithRetryAfterWhenNoSlotIsFree()
      throws Exception {
    Duration deadline = Duration.ofMillis(800);
    try (RedisConnector connector = RedisConnector.connect(redis.get().uri());
        FeatureStore store =
            FeatureStores.redis(
                Demo.repo(),
                connector,
                FeatureStoreOptions.builder()
                    .requestDeadline(deadline)
                    .inFlightLimit(1)
                    .acquireTimeout(Duration.ofMillis(100))
                    .build())) {
      Demo.load(store);
      RunningServer running = RunningServer.start(store, ServerOptions.defaults());
      FeatureHttpServer server = running.server();
      HttpClient http = HttpClient.newHttpClient();
      try {
        URI uri = URI.create(running.base() + "/get-online-features");
        HttpRequest request =
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(LOOKUP))
                .build();
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(200);

        redis.get().pause();
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<String>> stuck =
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        // Wait until the first lookup holds the only slot, then ask again.
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> server.inFlight() == 1);
        HttpResponse<String> overloaded = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(overloaded.statusCode()).as(overloaded.body()).isEqualTo(503);
        assertThat(overloaded.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(new ObjectMapper().readTree(overloaded.body()).path("error").asText())
            .isNotBlank();

        HttpResponse<String> late = stuck.get(10, java.util.concurrent.TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(late.statusCode()).as(late.body()).isEqualTo(504);
        assertThat(took).isBetween(deadline.minusMillis(50), deadline.plusSeconds(3));
      } finally {
        redis.get().resume();
        running.close();
      }
    }
  }
}
