package io.inferis.monitoring;

import io.inferis.cache.Cache;
import io.inferis.cache.ScoredMember;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a window back from the store and aggregates it per model: live servers and their models
 * from the registries (entries scored within the last monitoring window), then each (server,
 * model)'s inference and error keys with {@link Cache#range}. Members that are not records (foreign
 * data) are skipped. Thread-safe (holds no mutable state); each call reads the store.
 */
final class Aggregator implements MonitoringQuery {

  private final Cache cache;
  private final MonitorKeys keys;
  private final String serverId;
  private final long windowMillis;
  private final InstantSource clock;

  Aggregator(
      Cache cache, MonitorKeys keys, String serverId, long windowMillis, InstantSource clock) {
    this.cache = cache;
    this.keys = keys;
    this.serverId = serverId;
    this.windowMillis = windowMillis;
    this.clock = clock;
  }

  @Override
  public MonitoringSummary summary(Scope scope, Duration window) {
    Args.notNull(scope, "scope");
    Args.positive(window, "window");
    long end = clock.millis() + 1;
    return summarize(scope, end - window.toMillis(), end);
  }

  /** The aggregate of records with event times in [{@code from}, {@code to}). */
  MonitoringSummary summarize(Scope scope, long from, long to) {
    long liveSince = clock.millis() - windowMillis;
    TreeSet<String> servers = new TreeSet<>();
    Map<String, List<String>> modelsByServer = new TreeMap<>();
    if (scope == Scope.SERVER) {
      servers.add(serverId);
    } else {
      for (ScoredMember m : cache.range(keys.servers(), liveSince, Long.MAX_VALUE)) {
        servers.add(m.member());
      }
    }
    for (ScoredMember m : cache.range(keys.models(), liveSince, Long.MAX_VALUE)) {
      String[] sm = MonitorKeys.parseModelsMember(m.member());
      if (sm == null || (scope == Scope.SERVER && !sm[0].equals(serverId))) {
        continue;
      }
      servers.add(sm[0]);
      modelsByServer.computeIfAbsent(sm[0], s -> new ArrayList<>()).add(sm[1]);
    }
    Map<String, Acc> byModel = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : modelsByServer.entrySet()) {
      String server = e.getKey();
      for (String model : e.getValue()) {
        Acc acc = byModel.computeIfAbsent(model, k -> new Acc());
        for (ScoredMember m : cache.range(keys.inference(server, model), from, to - 1)) {
          acc.addInference(m.member());
        }
        acc.errors += cache.range(keys.error(server, model), from, to - 1).size();
      }
    }
    List<ModelSummary> models = new ArrayList<>(byModel.size());
    byModel.forEach(
        (model, acc) -> {
          if (acc.count > 0 || acc.errors > 0) {
            models.add(acc.summary(model));
          }
        });
    return new MonitoringSummary(scope, from, to, List.copyOf(servers), models);
  }

  /** Accumulates one model's latencies, predicted classes and error count. */
  private static final class Acc {
    long[] latencies = new long[64];
    int count;
    long errors;
    final Map<String, Long> classes = new HashMap<>();

    void addInference(String member) {
      StoredRecord r;
      try {
        r = RecordCodec.decode(member);
      } catch (IllegalArgumentException e) {
        return; // not written by a recorder: not evidence of an inference
      }
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = r.record().latencyMicros();
      r.record().prediction().topClass().ifPresent(c -> classes.merge(c, 1L, Long::sum));
    }

    ModelSummary summary(String model) {
      long[] sorted = Arrays.copyOf(latencies, count);
      Arrays.sort(sorted);
      return new ModelSummary(
          model,
          count,
          errors,
          percentileMillis(sorted, 0.50),
          percentileMillis(sorted, 0.95),
          percentileMillis(sorted, 0.99),
          count == 0 ? 0 : sorted[count - 1] / 1000.0,
          topClasses());
    }

    private Map<String, Long> topClasses() {
      List<Map.Entry<String, Long>> entries = new ArrayList<>(classes.entrySet());
      entries.sort(
          (a, b) -> {
            int c = Long.compare(b.getValue(), a.getValue());
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
          });
      Map<String, Long> out = new LinkedHashMap<>();
      long other = 0;
      for (int i = 0; i < entries.size(); i++) {
        if (i < ModelSummary.MAX_CLASS_COUNTS) {
          out.put(entries.get(i).getKey(), entries.get(i).getValue());
        } else {
          other += entries.get(i).getValue();
        }
      }
      if (other > 0) {
        out.merge(ModelSummary.OTHER_CLASSES, other, Long::sum);
      }
      return out;
    }

    /** Nearest rank: the smallest value with at least {@code p} of the values at or below it. */
    private static double percentileMillis(long[] sorted, double p) {
      if (sorted.length == 0) {
        return 0;
      }
      int rank = (int) Math.ceil(p * sorted.length);
      return sorted[Math.max(0, rank - 1)] / 1000.0;
    }
  }
}
