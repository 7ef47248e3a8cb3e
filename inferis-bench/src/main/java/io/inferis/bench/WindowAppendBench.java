package io.inferis.bench;

import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.cache.WindowAppend;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Window append throughput (records/s): inferis's atomic append (one script: add, trim by server
 * time, cap, re-arm TTL) against the incident's ZADD + EXPIRE pipeline, at the same concurrency,
 * one record per call and 100 records per batch. Both run in one JMH run against one real
 * redis-server started by the harness; the ratio is the figure (docs/BENCHMARKS.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(8)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
public class WindowAppendBench {

  static final Duration WINDOW = Duration.ofSeconds(120);
  static final int BATCH = 100;

  RedisNode redis;
  RedisConnector connector;
  Cache cache;
  RedisClient plainClient;
  StatefulRedisConnection<String, String> plain;

  @Setup(Level.Trial)
  public void start() {
    redis = RedisNode.start("bench-window");
    connector = RedisConnector.connect(redis.uri());
    cache = Caches.redis(connector);
    plainClient = RedisClient.create(redis.uri());
    plain = plainClient.connect();
  }

  @TearDown(Level.Trial)
  public void stop() {
    plain.close();
    plainClient.shutdown();
    cache.close();
    connector.close();
    redis.close();
  }

  /** Per-thread writer: its own server key, as one model server writes its own window. */
  @State(Scope.Thread)
  public static class Writer {
    String key;
    long seq;

    @Setup(Level.Trial)
    public void pickKey() {
      key = "inferis:{srv-" + ThreadLocalRandom.current().nextInt(1_000_000) + "}:inference:m";
    }

    String nextMember() {
      // ~60-byte record id + summary, as a monitoring record would carry.
      return "{\"id\":\"" + key.hashCode() + "-" + (seq++) + "\",\"lat\":12.5,\"cls\":\"fraud\"}";
    }
  }

  @Benchmark
  public long inferisAtomicAppend(Writer w) {
    return cache.append(w.key, w.nextMember(), System.currentTimeMillis(), WINDOW, 100_000);
  }

  @Benchmark
  public Long zaddExpirePipeline(Writer w) throws Exception {
    RedisAsyncCommands<String, String> r = plain.async();
    RedisFuture<Long> add = r.zadd(w.key, System.currentTimeMillis(), w.nextMember());
    RedisFuture<Boolean> exp = r.pexpire(w.key, WINDOW.toMillis());
    exp.get();
    return add.get();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public List<Long> inferisAtomicAppendBatch(Writer w) {
    long now = System.currentTimeMillis();
    List<WindowAppend> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      batch.add(WindowAppend.of(w.key, w.nextMember(), now, WINDOW).withMaxMembers(100_000));
    }
    return cache.appendAll(batch);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long zaddExpirePipelineBatch(Writer w) throws Exception {
    RedisAsyncCommands<String, String> r = plain.async();
    long now = System.currentTimeMillis();
    List<RedisFuture<?>> futures = new ArrayList<>(2 * BATCH);
    for (int i = 0; i < BATCH; i++) {
      futures.add(r.zadd(w.key, now, w.nextMember()));
      futures.add(r.pexpire(w.key, WINDOW.toMillis()));
    }
    long n = 0;
    for (RedisFuture<?> f : futures) {
      f.get();
      n++;
    }
    return n;
  }
}
