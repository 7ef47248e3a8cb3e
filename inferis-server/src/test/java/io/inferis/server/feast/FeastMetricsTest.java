package io.inferis.server.feast;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** Feast's request meters under Feast's names and labels, with bounded label values. */
class FeastMetricsTest {

  @Test
  void feastNamesAndLabels_andCountsInBoundedSteps() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FeastMetrics metrics = new FeastMetrics(registry);

    metrics.record("/get-online-features", 3, 1, System.nanoTime(), true);
    metrics.record("/push", 0, 0, System.nanoTime(), false);
    for (int features = 1; features <= 10_000; features++) {
      metrics.record("/get-online-features", features, features % 37, System.nanoTime(), true);
    }

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains(
            "feast_feature_server_request_latency_seconds_bucket{endpoint=\"/get-online-features\","
                + "feature_count=\"3\",feature_view_count=\"1\",le=\"0.005\"}")
        .contains("feast_feature_server_request_total{endpoint=\"/push\",status=\"error\"} 1.0")
        .contains(
            "feast_feature_server_request_total{endpoint=\"/get-online-features\","
                + "status=\"success\"} 10001.0");
    long series =
        scrape
            .lines()
            .filter(l -> l.startsWith("feast_feature_server_request_latency_seconds_count"))
            .count();
    assertThat(series).as("label pairs for 10,000 request shapes").isLessThanOrEqualTo(12 * 9 + 1);
    assertThat(FeastMetrics.count(0)).isEmpty();
    assertThat(FeastMetrics.count(5)).isEqualTo("5");
    assertThat(FeastMetrics.count(6)).isEqualTo("10");
    assertThat(FeastMetrics.count(1001)).isEqualTo("+Inf");
  }
}
