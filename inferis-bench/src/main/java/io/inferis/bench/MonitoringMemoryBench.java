package io.inferis.bench;

import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.monitoring.InferenceRecord;
import io.inferis.monitoring.Monitor;
import io.inferis.monitoring.Monitoring;
import io.inferis.monitoring.MonitoringOptions;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Redis memory per 1,000 records written, inferis against the incident's ZADD + EXPIRE per record
 * with a plain JSON document (see {@link NaiveRecords}), measured as the {@code used_memory} delta
 * of {@code INFO memory} on a freshly flushed server, in one run. Reported as JMH secondary results
 * (AuxCounters) and printed:
 *
 * <ul>
 *   <li>{@code withinOneWindow}: 20,000 records all inside the window: the cost of the encoding
 *       (both keep every record).
 *   <li>{@code overFiveWindows}: 20,000 records whose event times span five windows (a server that
 *       has run for a while): inferis keeps the last window, the baseline keeps everything.
 * </ul>
 *
 * The time column of this benchmark is not a figure; the counters are.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class MonitoringMemoryBench {

  static final int RECORDS = 20_000;
  static final Duration WINDOW = Duration.ofSeconds(120);
  static final String SERVER = "bench-mem";
  static final String MODEL = "fraud-v3";

  RedisNode redis;
  RedisConnector connector;
  Cache cache;
  RedisClient plainClient;
  StatefulRedisConnection<String, String> plain;
  List<InferenceRecord> records;

  /** Bytes per 1,000 records, and inferis ÷ baseline. */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class Memory {
    public double inferisBytesPer1k;
    public double zaddExpireBytesPer1k;
    public double inferisToZaddExpire;
  }

  @Setup(Level.Trial)
  public void start() {
    redis = RedisNode.start("bench-monitoring-memory");
    connector = RedisConnector.connect(redis.uri());
    cache = Caches.redis(connector);
    plainClient = RedisClient.create(redis.uri());
    plain = plainClient.connect();
    records = new ArrayList<>(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      records.add(MonitoringBench.sampleRecord());
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    plain.close();
    plainClient.shutdown();
    cache.close();
    connector.close();
    redis.close();
  }

  @Benchmark
  public void withinOneWindow(Memory m) throws Exception {
    measure(m, 0, "within one window");
  }

  @Benchmark
  public void overFiveWindows(Memory m) throws Exception {
    measure(m, 5, "over five windows");
  }

  /** Event times spread evenly over {@code windows} windows back from now (0: all now). */
  private void measure(Memory m, int windows, String label) throws Exception {
    long span = windows * WINDOW.toMillis();
    long inferis = usedMemoryAfter(() -> writeInferis(span));
    long naive = usedMemoryAfter(() -> writeNaive(span));
    m.inferisBytesPer1k = inferis * 1000.0 / RECORDS;
    m.zaddExpireBytesPer1k = naive * 1000.0 / RECORDS;
    m.inferisToZaddExpire = (double) inferis / naive;
    System.out.printf(
        "%nmemory per 1k records %s: inferis %.0f B, ZADD+EXPIRE %.0f B, ratio %.3f%n",
        label, m.inferisBytesPer1k, m.zaddExpireBytesPer1k, m.inferisToZaddExpire);
  }

  private long eventTime(long now, long span, int i) {
    return now - span + span * i / RECORDS;
  }

  private void writeInferis(long span) {
    try (Monitor monitor =
        Monitoring.start(
            cache,
            MonitoringOptions.builder()
                .serverId(SERVER)
                .reportInterval(WINDOW.dividedBy(2))
                .queueCapacity(RECORDS)
                .maxMembersPerKey(RECORDS)
                .build())) {
      long now = System.currentTimeMillis();
      for (int i = 0; i < RECORDS; i++) {
        InferenceRecord r = records.get(i);
        monitor.record(
            MODEL,
            InferenceRecord.builder()
                .id(r.id())
                .eventTimeMillis(eventTime(now, span, i))
                .latencyMicros(r.latencyMicros())
                .prediction(r.prediction())
                .tags(r.tags())
                .build());
      }
      if (!monitor.flush(Duration.ofSeconds(60)) || monitor.stats().written() != RECORDS) {
        throw new IllegalStateException("not every record was written: " + monitor.stats());
      }
    }
  }

  private void writeNaive(long span) throws Exception {
    RedisAsyncCommands<String, String> r = plain.async();
    String key = "inferis:{" + SERVER + "}:inference:" + MODEL;
    long now = System.currentTimeMillis();
    List<RedisFuture<?>> pending = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      long t = eventTime(now, span, i);
      pending.add(r.zadd(key, t, NaiveRecords.json(SERVER, MODEL, t, records.get(i))));
      pending.add(r.expire(key, WINDOW.toSeconds()));
      pending.add(r.zadd("inferis:models", t, SERVER + ":" + MODEL));
      pending.add(r.expire("inferis:models", WINDOW.toSeconds()));
      if (pending.size() >= 4000) {
        for (RedisFuture<?> f : pending) {
          f.get();
        }
        pending.clear();
      }
    }
    for (RedisFuture<?> f : pending) {
      f.get();
    }
  }

  interface Writer {
    void write() throws Exception;
  }

  private long usedMemoryAfter(Writer writer) throws Exception {
    redis.flushAll();
    long before = usedMemory();
    writer.write();
    return usedMemory() - before;
  }

  private long usedMemory() {
    return Long.parseLong(redis.info("memory").get("used_memory"));
  }
}
