package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inferis.cache.Cache;
import io.inferis.features.FeatureStore;
import io.inferis.monitoring.MonitoringOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /infer, /monitor/summary and /metrics over real HTTP, on the memory store and on Redis. */
abstract class InferenceServerContract {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  protected abstract FeatureStore newStore();

  protected abstract Cache newCache();

  private FeatureStore store;
  private DemoServer demo;
  private String base;

  @BeforeEach
  void start() {
    store = newStore();
    demo =
        DemoServer.start(
            store,
            newCache(),
            MonitoringOptions.builder()
                .serverId("test-server")
                .reportInterval(Duration.ofSeconds(30)),
            ServerOptions.builder()
                .summaryWindow(Duration.ofMinutes(1))
                .maxBodyBytes(64 * 1024)
                .maxEntities(100)
                .build());
    base = demo.base();
  }

  @AfterEach
  void stop() {
    demo.close();
  }

  private FeatureServerContract.Reply send(HttpRequest.Builder b) throws Exception {
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new FeatureServerContract.Reply(r.statusCode(), r.body());
  }

  private FeatureServerContract.Reply post(String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private FeatureServerContract.Reply get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  @Test
  void infer_predictsFromStoredFeatures_andIsVisibleInSummaryAndMetrics() throws Exception {
    Instant t = Instant.now();
    post(
        "/push",
        "{\"push_source_name\":\"driver_hourly_stats\",\"df\":{\"driver_id\":[1001],\"conv_rate\":[0.2],"
            + "\"acc_rate\":[0.9],\"avg_daily_trips\":[400],\"event_timestamp\":[\""
            + t
            + "\"]}}");

    FeatureServerContract.Reply r =
        post("/infer/driver-risk", "{\"entities\":{\"driver_id\":[1001]}}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode p = r.json().at("/predictions/0");
    assertThat(p.path("inference_id").asText()).isNotBlank();
    // score = -0.5 - 2*0.2 - 1.5*0.9 + 0.004*400 = -0.65 -> p(high) = 0.343
    assertThat(p.path("class").asText()).isEqualTo("low");
    assertThat(p.at("/classes/high").asDouble())
        .isCloseTo(0.3430, org.assertj.core.data.Offset.offset(0.001));

    // A driver with no features: answered 422 and recorded as an error.
    FeatureServerContract.Reply missing =
        post("/infer/driver-risk", "{\"entities\":{\"driver_id\":[4242]}}");
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.json().path("error").asText()).contains("row 0").contains("is missing");
    assertThat(post("/infer/ghost", "{}").status()).isEqualTo(404);

    assertThat(demo.monitor().flush(Duration.ofSeconds(10))).isTrue();
    JsonNode summary = get("/monitor/summary?scope=server&window=60s").json();
    assertThat(summary.at("/servers").toString()).contains("test-server");
    assertThat(summary.at("/models/0/model").asText()).isEqualTo("driver-risk");
    assertThat(summary.at("/models/0/inferences").asLong()).isEqualTo(1);
    assertThat(summary.at("/models/0/errors").asLong()).isEqualTo(1);
    assertThat(summary.at("/models/0/classCounts/low").asLong()).isEqualTo(1);

    String metrics = get("/metrics").body();
    assertThat(metrics)
        .contains(
            "inferis_http_requests_seconds_count{method=\"POST\",route=\"/infer\",status=\"200\"}")
        .contains("inferis_monitoring_inferences")
        .contains("inferis_monitoring_errors");
    assertThat(get("/monitor/summary?scope=galaxy").status()).isEqualTo(400);
    assertThat(get("/monitor/summary?window=forever").status()).isEqualTo(400);
  }
}
