package io.inferis.bench;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Recorder;

/**
 * The ceiling: raw Lettuce HMGETs with auto-flush off, {@value #BATCH} commands per flush and up to
 * {@value #IN_FLIGHT} flushes in flight, from one thread. Not a request-shaped client; it gives the
 * HMGET rate a pipelining client can reach on this machine.
 */
final class CeilingClient {

  static final int BATCH = 64;
  static final int IN_FLIGHT = 4;

  /** Discarded HMGETs before the measured ones, in seconds. */
  private static final double WARM_UP_SECONDS = 2;

  private CeilingClient() {}

  /** Result: HMGETs per second and the per-HMGET latency histogram. */
  record Result(double hmgetPerSecond, org.HdrHistogram.Histogram latencyMicros) {}

  /**
   * The ceiling's row of a scenario: HMGETs/s over any of the {@value BenchData#ENTITIES} entities,
   * divided by the entities per request; p50 and p99 per HMGET; one connection.
   */
  static Row measure(Target target, Scenario sc, Layout layout, double seconds)
      throws InterruptedException {
    Result r =
        run(
            target.uris(),
            target.cluster(),
            layout,
            BenchData.ENTITIES,
            seconds,
            WARM_UP_SECONDS,
            target.masters());
    return new Row(
        target.topology(),
        sc.name(),
        ResultsTable.CEILING,
        r.hmgetPerSecond() / sc.entities(),
        r.latencyMicros().getValueAtPercentile(50) / 1000.0,
        r.latencyMicros().getValueAtPercentile(99) / 1000.0,
        1);
  }

  static Result run(
      List<RedisURI> nodes,
      boolean cluster,
      Layout layout,
      int entityRange,
      double seconds,
      double warmupSeconds,
      List<io.inferis.testing.RedisNode> masters)
      throws InterruptedException {
    byte[][] fields = layout.fields();
    RedisClient client = cluster ? null : RedisClient.create(nodes.get(0));
    RedisClusterClient clusterClient = cluster ? RedisClusterClient.create(nodes) : null;
    StatefulConnection<byte[], byte[]> conn =
        cluster
            ? clusterClient.connect(ByteArrayCodec.INSTANCE)
            : client.connect(ByteArrayCodec.INSTANCE);
    @SuppressWarnings("unchecked")
    RedisClusterAsyncCommands<byte[], byte[]> async =
        cluster
            ? ((io.lettuce.core.cluster.api.StatefulRedisClusterConnection<byte[], byte[]>) conn)
                .async()
            : ((io.lettuce.core.api.StatefulRedisConnection<byte[], byte[]>) conn).async();
    try {
      // Open every node connection with auto-flush on first (lettuce#2420), then switch it off.
      for (int i = 0; i < 256; i++) {
        async.hmget(layout.key(i % entityRange), fields).get(5, TimeUnit.SECONDS);
      }
      conn.setAutoFlushCommands(false);
      Recorder recorder = new Recorder(3);
      Semaphore inFlight = new Semaphore(IN_FLIGHT);
      long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
      long end = warmEnd + (long) (seconds * 1e9);
      long[] counted = new long[1];
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      Cpu cpu = null;
      while (System.nanoTime() < end) {
        inFlight.acquire();
        long start = System.nanoTime();
        boolean measure = start >= warmEnd;
        if (measure && cpu == null) {
          cpu = Cpu.start(masters);
        }
        @SuppressWarnings("unchecked")
        RedisFuture<List<KeyValue<byte[], byte[]>>>[] batch = new RedisFuture[BATCH];
        for (int i = 0; i < BATCH; i++) {
          batch[i] = async.hmget(layout.key(rnd.nextInt(entityRange)), fields);
        }
        conn.flushCommands();
        java.util.concurrent.atomic.AtomicInteger left =
            new java.util.concurrent.atomic.AtomicInteger(BATCH);
        for (RedisFuture<List<KeyValue<byte[], byte[]>>> f : batch) {
          f.whenComplete(
              (v, e) -> {
                if (measure) {
                  recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                }
                if (left.decrementAndGet() == 0) {
                  inFlight.release();
                }
              });
        }
        if (measure) {
          counted[0] += BATCH;
        }
      }
      inFlight.acquire(IN_FLIGHT);
      if (cpu != null) {
        cpu.print("ceiling (per HMGET)", counted[0], "client");
      }
      return new Result(counted[0] / seconds, recorder.getIntervalHistogram());
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("ceiling client could not warm up", e);
    } finally {
      conn.close();
      if (client != null) {
        client.shutdown();
      }
      if (clusterClient != null) {
        clusterClient.shutdown();
      }
    }
  }
}
