package io.inferis.cache;

import io.inferis.redis.RedisConnector;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A model-server stand-in that runs in its own JVM so a test can SIGKILL it: it records
 * "inferences" into its per-server window key and registers itself in the shared {@code
 * inferis:models} key, every {@code periodMs}, until killed.
 *
 * <p>Args: {@code <redis-url> <server-id> <window-ms> <period-ms> <atomic|naive>}. {@code atomic}
 * uses inferis's window append; {@code naive} does what the incident's later fix did: ZADD + EXPIRE
 * of the whole key in one MULTI, with expiry of members left to the writer's memory.
 */
public final class WindowWriterMain {

  private WindowWriterMain() {}

  /** Key of one server's records for one model. */
  static String inferenceKey(String server) {
    return "inferis:{" + server + "}:inference:model-a";
  }

  /** The registry every server writes to. */
  static final String MODELS = "inferis:models";

  public static void main(String[] args) throws InterruptedException {
    String url = args[0];
    String server = args[1];
    long windowMs = Long.parseLong(args[2]);
    long periodMs = Long.parseLong(args[3]);
    boolean atomic = args[4].equals("atomic");
    Recorder recorder = atomic ? atomic(url, windowMs) : naive(url, windowMs);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    long[] seq = {0};
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            long now = System.currentTimeMillis();
            recorder.record(inferenceKey(server), server + "-rec-" + seq[0]++, now);
            recorder.record(MODELS, server + ":model-a", now);
            if (seq[0] == 1) {
              System.out.println("writing " + server);
            }
          } catch (RuntimeException e) {
            System.out.println("error " + e);
          }
        },
        0,
        periodMs,
        TimeUnit.MILLISECONDS);
    new CountDownLatch(1).await(); // runs until the test kills this JVM
  }

  interface Recorder {
    void record(String key, String member, long time);
  }

  private static Recorder atomic(String url, long windowMs) {
    Cache cache = Caches.redis(RedisConnector.connect(url));
    Duration window = Duration.ofMillis(windowMs);
    return (key, member, time) -> cache.append(key, member, time, window);
  }

  /** The incident's fix: ZADD + EXPIRE in MULTI; members expire only in the writer's memory. */
  static Recorder naive(String url, long windowMs) {
    StatefulRedisConnection<String, String> c = RedisClient.create(url).connect();
    RedisCommands<String, String> r = c.sync();
    long ttlSeconds = Math.max(1, windowMs / 1000);
    return (key, member, time) -> {
      synchronized (r) {
        r.multi();
        r.zadd(key, time, member);
        r.expire(key, ttlSeconds);
        r.exec();
      }
    };
  }
}
