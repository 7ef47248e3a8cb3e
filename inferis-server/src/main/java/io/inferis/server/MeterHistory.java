package io.inferis.server;

import io.inferis.monitoring.ModelSummary;
import io.inferis.monitoring.MonitoringQuery;
import io.inferis.monitoring.MonitoringSummary;
import io.inferis.monitoring.Scope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's history: every {@link ServerOptions#historyStep()} it reads this server's meters
 * (and, while someone watches the dashboard, the fleet's monitoring summary) into one point per
 * series, and keeps the last {@link #POINTS}. Rates are differences between two reads; latency
 * quantiles come from the difference of two histogram reads, interpolated within a bucket as
 * Prometheus's {@code histogram_quantile} does, so the charts agree with a Prometheus graph.
 *
 * <p>Bounded: {@link #POINTS} points of at most {@link #MAX_SERIES} series per chart, whatever the
 * meters hold. Thread-safe.
 */
final class MeterHistory implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MeterHistory.class);

  /** Points kept: 15 minutes at the default step. */
  static final int POINTS = 180;

  /** Series per chart at most; the rest are left out (a model server has a handful of models). */
  static final int MAX_SERIES = 20;

  /** Classes per model in the class-mix chart. */
  private static final int TOP_CLASSES = 5;

  /** After the dashboard was last read, the fleet summary is still sampled this long. */
  private static final Duration WATCHED = Duration.ofMinutes(15);

  /** A chart: its id, title and unit. */
  record Chart(String id, String title, String unit) {}

  static final List<Chart> CHARTS =
      List.of(
          new Chart("models.rate", "Inferences/s by model (this server)", "1/s"),
          new Chart("models.errors", "Error rate by model (this server)", "%"),
          new Chart("models.p50", "p50 inference latency by model", "ms"),
          new Chart("models.p99", "p99 inference latency by model", "ms"),
          new Chart("models.classes", "Class mix by model (all servers)", "%"),
          new Chart("servers", "Inferences/s: this server and all servers", "1/s"),
          new Chart("lookups.rate", "Feature lookups/s by outcome", "1/s"),
          new Chart("lookups.status", "Feature values/s by status", "1/s"),
          new Chart("lookups.latency", "Feature lookup latency (answered)", "ms"),
          new Chart("freshness", "Feature freshness by view (age of newest value served)", "s"),
          new Chart("http", "HTTP requests/s by route", "1/s"),
          new Chart("redis.connections", "Redis connections by node", ""),
          new Chart("redis.memory", "Redis used memory by master", "MiB"),
          new Chart("redis.latency", "Redis command p99 by node", "ms"),
          new Chart("keys", "Monitoring keys (one server counts them per period)", ""));

  /** One read: chart id → series → value. */
  private record Point(long epochMillis, Map<String, Map<String, Double>> values) {}

  private final MeterRegistry registry;
  private final @Nullable MonitoringQuery monitoring;
  private final Duration step;
  private final Duration summaryWindow;
  private final ArrayDeque<Point> points = new ArrayDeque<>();
  private final Map<String, Double> lastCounts = new HashMap<>();
  private final Map<String, double[]> lastBuckets = new HashMap<>();
  private final ScheduledExecutorService thread;
  private volatile long watchedUntilNanos = System.nanoTime();

  MeterHistory(
      MeterRegistry registry,
      @Nullable MonitoringQuery monitoring,
      Duration step,
      Duration summaryWindow) {
    this.registry = registry;
    this.monitoring = monitoring;
    this.step = step;
    this.summaryWindow = summaryWindow;
    this.thread = Daemons.scheduler("inferis-dashboard-history");
    thread.scheduleAtFixedRate(
        this::sample, step.toMillis(), step.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Notes that the dashboard is being watched (the fleet summary is sampled from now on). */
  void watched() {
    watchedUntilNanos = System.nanoTime() + WATCHED.toNanos();
  }

  /** Reads every meter once into a new point: on the history's own thread, once per step. */
  synchronized void sample() {
    try {
      Map<String, Map<String, Double>> v = new HashMap<>();
      double seconds = step.toMillis() / 1000.0;
      rates(v, "models.rate", "inferis.monitoring.inferences", "model", seconds);
      errorRates(v, seconds);
      Map<String, Histogram> models = deltas("inferis.monitoring.latency", tag("model"));
      quantiles(v, "models.p50", models, 0.5);
      quantiles(v, "models.p99", models, 0.99);
      rates(v, "lookups.rate", "inferis.features.lookups", "outcome", seconds);
      rates(v, "lookups.status", "inferis.features.values", "status", seconds);
      Histogram answered = deltas("inferis.features.lookups", MeterHistory::answered).get("ok");
      if (answered != null) {
        Map<String, Double> lookups =
            v.computeIfAbsent("lookups.latency", k -> new LinkedHashMap<>());
        putQuantile(lookups, "p50", answered, 0.5);
        putQuantile(lookups, "p99", answered, 0.99);
      }
      gauges(v, "freshness", "feast_feature_freshness", "feature_view", 1);
      rates(v, "http", "inferis.http.requests", "route", seconds);
      gauges(v, "redis.connections", "inferis.redis.connections", "node", 1);
      gauges(v, "redis.memory", "inferis.redis.used.memory", "node", 1.0 / (1 << 20));
      quantiles(v, "redis.latency", deltas("inferis.redis.commands", tag("node")), 0.99);
      keys(v);
      v.computeIfAbsent("servers", k -> new LinkedHashMap<>())
          .put("this server", sum(v.get("models.rate")));
      if (monitoring != null && System.nanoTime() - watchedUntilNanos < 0) {
        try {
          fleet(v, monitoring.summary(Scope.ALL, summaryWindow));
        } catch (RuntimeException e) {
          // Redis down is when the charts matter most: this server's own meters still get a point.
          LOG.debug("fleet summary unavailable: {}", e.toString());
        }
      }
      synchronized (points) {
        points.addLast(new Point(System.currentTimeMillis(), v));
        while (points.size() > POINTS) {
          points.removeFirst();
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("dashboard history read failed: {}", e.toString());
    }
  }

  private static Function<Meter, @Nullable String> tag(String name) {
    return m -> m.getId().getTag(name);
  }

  /** Lookups that were answered, as one series. */
  private static @Nullable String answered(Meter m) {
    return "ok".equals(m.getId().getTag("outcome")) ? "ok" : null;
  }

  private static double sum(@Nullable Map<String, Double> series) {
    return series == null ? 0 : series.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** Per-second increase of each counter or timer's count named {@code name}, by {@code tag}. */
  private void rates(
      Map<String, Map<String, Double>> v, String chart, String name, String tag, double seconds) {
    Map<String, Double> counts = new HashMap<>();
    for (Meter m : registry.find(name).meters()) {
      double c =
          m instanceof Counter counter
              ? counter.count()
              : m instanceof Timer timer ? timer.count() : Double.NaN;
      String series = m.getId().getTag(tag);
      if (series != null && !Double.isNaN(c)) {
        counts.merge(series, c, Double::sum);
      }
    }
    Map<String, Double> out = v.computeIfAbsent(chart, k -> new LinkedHashMap<>());
    counts.forEach(
        (series, c) -> {
          Double before = lastCounts.put(chart + "\u0000" + series, c);
          out.put(series, Math.max(0, c - (before == null ? 0 : before)) / seconds);
        });
  }

  /** Errors as a share of all inferences, by model, in percent. */
  private void errorRates(Map<String, Map<String, Double>> v, double seconds) {
    Map<String, Map<String, Double>> errors = new HashMap<>();
    rates(errors, "models.errors", "inferis.monitoring.errors", "model", seconds);
    Map<String, Double> ok = v.getOrDefault("models.rate", Map.of());
    Map<String, Double> out = v.computeIfAbsent("models.errors", k -> new LinkedHashMap<>());
    Set<String> models = new LinkedHashSet<>(ok.keySet());
    models.addAll(errors.get("models.errors").keySet());
    for (String model : models) {
      double failed = errors.get("models.errors").getOrDefault(model, 0.0);
      double all = failed + ok.getOrDefault(model, 0.0);
      out.put(model, all == 0 ? 0 : 100 * failed / all);
    }
  }

  private void gauges(
      Map<String, Map<String, Double>> v, String chart, String name, String tag, double scale) {
    Map<String, Double> out = v.computeIfAbsent(chart, k -> new LinkedHashMap<>());
    for (Gauge g : registry.find(name).gauges()) {
      String series = g.getId().getTag(tag);
      double value = g.value();
      if (series != null && !Double.isNaN(value)) {
        out.put(series, value * scale);
      }
    }
  }

  private void keys(Map<String, Map<String, Double>> v) {
    Map<String, Double> out = v.computeIfAbsent("keys", k -> new LinkedHashMap<>());
    Gauge all = registry.find("inferis.monitoring.keys").gauge();
    Gauge noTtl = registry.find("inferis.monitoring.keys.without.ttl").gauge();
    Gauge age = registry.find("inferis.monitoring.keys.scan.age").gauge();
    if (all != null && noTtl != null && age != null && age.value() >= 0) {
      out.put("keys", all.value());
      out.put("without TTL", noTtl.value());
    }
  }

  /** A histogram's bucket bounds (ms) and cumulative counts, the last count being the total. */
  record Histogram(double[] bounds, double[] counts) {}

  /**
   * The latencies timers named {@code name} recorded since the last read, by the series {@code
   * series} names (timers of one series are added up; null leaves a timer out): each timer's
   * snapshot is taken once per read, whatever quantiles are drawn from it.
   */
  private Map<String, Histogram> deltas(String name, Function<Meter, @Nullable String> series) {
    Map<String, Histogram> now = new HashMap<>();
    for (Timer t : registry.find(name).timers()) {
      String s = series.apply(t);
      if (s == null) {
        continue;
      }
      CountAtBucket[] buckets = t.takeSnapshot().histogramCounts();
      Histogram h =
          now.computeIfAbsent(
              s, k -> new Histogram(new double[buckets.length], new double[buckets.length + 1]));
      if (h.counts().length != buckets.length + 1) {
        continue; // a timer without the shared buckets
      }
      for (int i = 0; i < buckets.length; i++) {
        h.counts()[i] += buckets[i].count();
        h.bounds()[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
      }
      h.counts()[buckets.length] += t.count();
    }
    Map<String, Histogram> deltas = new HashMap<>();
    now.forEach(
        (s, h) -> {
          double[] before = lastBuckets.put(name + "\u0000" + s, h.counts());
          double[] delta = h.counts().clone();
          if (before != null && before.length == delta.length) {
            for (int i = 0; i < delta.length; i++) {
              delta[i] = Math.max(0, delta[i] - before[i]);
            }
          }
          deltas.put(s, new Histogram(h.bounds(), delta));
        });
    return deltas;
  }

  /** The {@code q} quantile of each series of {@code histograms} into {@code chart}, in ms. */
  private static void quantiles(
      Map<String, Map<String, Double>> v,
      String chart,
      Map<String, Histogram> histograms,
      double q) {
    Map<String, Double> out = v.computeIfAbsent(chart, k -> new LinkedHashMap<>());
    histograms.forEach((series, h) -> putQuantile(out, series, h, q));
  }

  private static void putQuantile(Map<String, Double> out, String series, Histogram h, double q) {
    double quantile = quantile(q, h.bounds(), h.counts());
    if (!Double.isNaN(quantile)) {
      out.put(series, quantile);
    }
  }

  /**
   * {@code histogram_quantile}: the {@code q} quantile of cumulative {@code counts} at {@code
   * bounds} (the last count is the total), linear within the bucket; NaN without observations.
   */
  static double quantile(double q, double[] bounds, double[] counts) {
    double total = counts[counts.length - 1];
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    for (int i = 0; i < bounds.length; i++) {
      if (counts[i] >= rank) {
        double lower = i == 0 ? 0 : bounds[i - 1];
        double below = i == 0 ? 0 : counts[i - 1];
        double in = counts[i] - below;
        return in <= 0 ? bounds[i] : lower + (bounds[i] - lower) * (rank - below) / in;
      }
    }
    return bounds.length == 0 ? Double.NaN : bounds[bounds.length - 1];
  }

  private void fleet(Map<String, Map<String, Double>> v, MonitoringSummary summary) {
    double seconds = Math.max(1, (summary.windowEndMillis() - summary.windowStartMillis()) / 1e3);
    Map<String, Double> classes = v.computeIfAbsent("models.classes", k -> new LinkedHashMap<>());
    long all = 0;
    for (ModelSummary m : summary.models()) {
      all += m.inferences();
      long total = m.classCounts().values().stream().mapToLong(Long::longValue).sum();
      m.classCounts().entrySet().stream()
          .limit(TOP_CLASSES)
          .forEach(c -> classes.put(m.model() + ": " + c.getKey(), 100.0 * c.getValue() / total));
    }
    v.computeIfAbsent("servers", k -> new LinkedHashMap<>())
        .put("all " + summary.servers().size() + " servers", all / seconds);
  }

  /** One series of a chart: a value per point, null where the series had none. */
  record SeriesJson(String label, List<@Nullable Double> values) {}

  /** A chart as the dashboard draws it. */
  record ChartJson(String id, String title, String unit, List<SeriesJson> series) {}

  /** The history as the dashboard reads it: point times (epoch seconds) and the charts. */
  record HistoryJson(double stepSeconds, List<Long> t, List<ChartJson> charts) {}

  /** The history, every series as long as {@code t}. */
  HistoryJson json() {
    List<Point> copy;
    synchronized (points) {
      copy = new ArrayList<>(points);
    }
    List<Long> t = copy.stream().map(p -> p.epochMillis() / 1000).toList();
    List<ChartJson> charts = new ArrayList<>();
    for (Chart chart : CHARTS) {
      Set<String> labels = new LinkedHashSet<>();
      for (Point p : copy) {
        for (String label : p.values().getOrDefault(chart.id(), Map.of()).keySet()) {
          if (labels.size() < MAX_SERIES) {
            labels.add(label);
          }
        }
      }
      List<SeriesJson> series = new ArrayList<>();
      for (String label : labels.stream().sorted().toList()) {
        List<@Nullable Double> values = new ArrayList<>(copy.size());
        for (Point p : copy) {
          Double d = p.values().getOrDefault(chart.id(), Map.of()).get(label);
          values.add(d == null ? null : Math.round(d * 1000) / 1000.0);
        }
        series.add(new SeriesJson(label, values));
      }
      charts.add(new ChartJson(chart.id(), chart.title(), chart.unit(), series));
    }
    return new HistoryJson(step.toMillis() / 1000.0, t, charts);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
