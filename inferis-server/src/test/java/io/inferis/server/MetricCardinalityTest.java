package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.cache.Caches;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.monitoring.InferenceRecord;
import io.inferis.monitoring.Prediction;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A running server asked for 10,000 distinct model names and 10,000 distinct feature views (over
 * HTTP, and 10,000 models recorded through the library's recorder) keeps its {@code /metrics} under
 * {@link #BOUND} series, and the second half of the names adds none: names beyond the caps share
 * one series, unknown names are labelled by route, not by name.
 */
class MetricCardinalityTest {

  /** The stated bound (docs/OPERATIONS.md, "Metrics"): series per pod, whatever clients ask. */
  static final int BOUND = 3_000;

  private static final int NAMES = 10_000;

  @Test
  void tenThousandModelsAndViews_stayUnderTheBound() throws Exception {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FeatureStore store =
        FeatureStores.memory(
            Demo.repo(), FeatureStoreOptions.builder().meterRegistry(metrics).build());
    Demo.load(store);
    try (DemoServer demo =
        DemoServer.start(
            store, Caches.memory(), "cardinality", ServerOptions.defaults(), metrics)) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      ask(http, demo, 0, NAMES / 2);
      int half = series(metrics);
      ask(http, demo, NAMES / 2, NAMES);
      int all = series(metrics);
      assertThat(all).as("series after %d names", NAMES).isLessThanOrEqualTo(BOUND);
      assertThat(all).as("series added by the second half of the names").isEqualTo(half);
    }
  }

  /** Names {@code from} to {@code to}: an inference recorded, /infer and a lookup over HTTP. */
  private static void ask(HttpClient http, DemoServer demo, int from, int to) {
    InferenceRecord ok = InferenceRecord.of(Duration.ofMillis(3), Prediction.none());
    List<CompletableFuture<HttpResponse<Void>>> inFlight = new ArrayList<>();
    for (int i = from; i < to; i++) {
      demo.monitor().record("model-" + i, ok);
      inFlight.add(post(http, demo, "/infer/model-" + i, "{\"entities\":{\"driver_id\":[1001]}}"));
      inFlight.add(
          post(
              http,
              demo,
              "/get-online-features",
              "{\"features\":[\"view_" + i + ":f\"],\"entities\":{\"driver_id\":[1001]}}"));
      if (inFlight.size() >= 16) {
        inFlight.forEach(f -> assertThat(f.join().statusCode()).isBetween(400, 499));
        inFlight.clear();
      }
    }
    inFlight.forEach(f -> assertThat(f.join().statusCode()).isBetween(400, 499));
  }

  private static CompletableFuture<HttpResponse<Void>> post(
      HttpClient http, DemoServer demo, String path, String body) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create(demo.base() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  /** Sample lines of a scrape: one per series. */
  private static int series(PrometheusMeterRegistry metrics) {
    return (int) metrics.scrape().lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
  }
}
