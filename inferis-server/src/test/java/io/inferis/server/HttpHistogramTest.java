package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.LatencyBuckets;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * HTTP latency is exported as a histogram on fixed buckets: two servers' scrapes summed bucket by
 * bucket give, by Prometheus' {@code histogram_quantile}, a p99 in the bucket of the p99 of all
 * their requests.
 */
class HttpHistogramTest {

  private static final Pattern BUCKET =
      Pattern.compile(
          "inferis_http_requests_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.eE+]+)");

  @Test
  void twoServersHistogramsSummed_giveTheP99OfAllTheirRequests_withinOneBucket() {
    Random random = new Random(20261203);
    List<Long> all = new ArrayList<>();
    TreeMap<Double, Double> summed = new TreeMap<>();
    // One fast pod, one slow pod with a tail: neither pod's p99 is the fleet's.
    for (double medianMillis : new double[] {1.5, 40}) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      HttpMetrics metrics = new HttpMetrics(registry);
      int n = medianMillis < 10 ? 20_000 : 2_000;
      for (int i = 0; i < n; i++) {
        long nanos = (long) (medianMillis * 1e6 * Math.exp(random.nextGaussian() * 0.8));
        metrics.record("/get-online-features", "POST", 200, nanos);
        all.add(nanos);
      }
      Matcher m = BUCKET.matcher(registry.scrape());
      int buckets = 0;
      while (m.find()) {
        double le =
            m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
        summed.merge(le, Double.parseDouble(m.group(2)), Double::sum);
        buckets++;
      }
      assertThat(buckets).isEqualTo(LatencyBuckets.bounds().length + 1);
    }
    long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
    double exact = sorted[(int) Math.ceil(0.99 * sorted.length) - 1] / 1e9;

    double estimate = histogramQuantile(0.99, summed);

    assertThat(bucketOf(estimate, summed)).isEqualTo(bucketOf(exact, summed));
    assertThat(summed.lastEntry().getValue()).isEqualTo(sorted.length);
  }

  /** Prometheus' {@code histogram_quantile}: linear within the bucket that holds the rank. */
  private static double histogramQuantile(double q, TreeMap<Double, Double> cumulative) {
    double total = cumulative.lastEntry().getValue();
    double rank = q * total;
    double lower = 0;
    double below = 0;
    for (var e : cumulative.entrySet()) {
      if (e.getValue() >= rank) {
        if (e.getKey().isInfinite()) {
          return lower;
        }
        return lower + (e.getKey() - lower) * (rank - below) / (e.getValue() - below);
      }
      lower = e.getKey();
      below = e.getValue();
    }
    return lower;
  }

  private static int bucketOf(double seconds, TreeMap<Double, Double> cumulative) {
    Double[] bounds = cumulative.keySet().toArray(Double[]::new);
    int i = Arrays.binarySearch(bounds, seconds);
    return i >= 0 ? i : -i - 1;
  }
}
