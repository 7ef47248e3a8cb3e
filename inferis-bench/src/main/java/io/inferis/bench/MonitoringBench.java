package io.inferis.bench;

import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.monitoring.InferenceRecord;
import io.inferis.monitoring.Monitor;
import io.inferis.monitoring.MonitorStats;
import io.inferis.monitoring.Monitoring;
import io.inferis.monitoring.MonitoringOptions;
import io.inferis.monitoring.Prediction;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recorder throughput, end to end (records/s written to Redis): inferis's {@link Monitor} (bounded
 * queue, one flusher, {@code appendAll} batches with registries refreshed once per batch) against
 * the incident's write path — per record, one round trip of ZADD + EXPIRE on the record key and
 * ZADD + EXPIRE on the shared models registry. Both record the same records from 4 threads, 100 per
 * invocation (inferis then waits for its flush, so nothing is counted before it is stored), against
 * one real redis-server started by the harness. The ratio is the figure (docs/BENCHMARKS.md). The
 * caller-side latency of {@code record()} alone is {@link #recordCall}, a SampleTime benchmark (its
 * p99 is the figure).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
public class MonitoringBench {

  static final int BATCH = 100;
  static final Duration INTERVAL = Duration.ofSeconds(60);
  static final String SERVER = "bench-srv";
  static final String MODEL = "fraud-v3";

  RedisNode redis;
  RedisConnector connector;
  Cache cache;
  Monitor monitor;
  RedisClient plainClient;
  StatefulRedisConnection<String, String> plain;

  @Setup(Level.Trial)
  public void start() {
    redis = RedisNode.start("bench-monitoring");
    connector = RedisConnector.connect(redis.uri());
    cache = Caches.redis(connector);
    monitor =
        Monitoring.start(
            cache,
            MonitoringOptions.builder()
                .serverId(SERVER)
                .reportInterval(INTERVAL)
                .queueCapacity(100_000)
                .build());
    plainClient = RedisClient.create(redis.uri());
    plain = plainClient.connect();
  }

  @TearDown(Level.Trial)
  public void stop() {
    MonitorStats s = monitor.stats();
    System.out.printf(
        "%nmonitor: recorded=%d written=%d dropped=%d failed=%d%n",
        s.recorded(), s.written(), s.droppedRecords(), s.failedRecords());
    monitor.close();
    plain.close();
    plainClient.shutdown();
    cache.close();
    connector.close();
    redis.close();
  }

  /** A typical record: random id, latency, two classes, one tag. */
  static InferenceRecord sampleRecord() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    double p = r.nextDouble();
    return InferenceRecord.builder()
        .latencyMicros(2_000 + r.nextInt(30_000))
        .prediction(Prediction.classes(Map.of("fraud", p, "ok", 1 - p)))
        .tag("tenant", "t" + r.nextInt(10))
        .build();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public boolean inferisRecordAndFlush() {
    for (int i = 0; i < BATCH; i++) {
      monitor.record(MODEL, sampleRecord());
    }
    return monitor.flush(Duration.ofSeconds(30));
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long zaddExpirePerRecord() throws Exception {
    RedisAsyncCommands<String, String> r = plain.async();
    String key = "inferis:{" + SERVER + "}:inference:" + MODEL;
    long ttlSeconds = INTERVAL.multipliedBy(2).toSeconds();
    long n = 0;
    for (int i = 0; i < BATCH; i++) {
      long now = System.currentTimeMillis();
      String member = NaiveRecords.json(SERVER, MODEL, now, sampleRecord());
      RedisFuture<Long> add = r.zadd(key, now, member);
      RedisFuture<Boolean> exp = r.expire(key, ttlSeconds);
      RedisFuture<Long> reg = r.zadd("inferis:models", now, SERVER + ":" + MODEL);
      RedisFuture<Boolean> regExp = r.expire("inferis:models", ttlSeconds);
      add.get();
      exp.get();
      reg.get();
      regExp.get();
      n++;
    }
    return n;
  }

  /** The caller's cost of one {@code record()}: validation, meters, the queue (never Redis). */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void recordCall(Prebuilt p) {
    monitor.record(MODEL, p.next());
  }

  /** Records built ahead, so {@link #recordCall} measures only the call. */
  @State(Scope.Thread)
  public static class Prebuilt {
    InferenceRecord[] records;
    int i;

    @Setup(Level.Trial)
    public void build() {
      records = new InferenceRecord[4096];
      for (int k = 0; k < records.length; k++) {
        records[k] = sampleRecord();
      }
    }

    InferenceRecord next() {
      return records[i++ & (records.length - 1)];
    }
  }
}
