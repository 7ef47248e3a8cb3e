package io.inferis.monitoring;

import io.inferis.cache.Caches;
import io.inferis.redis.RedisConnector;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A model server stand-in in its own JVM, so a test can SIGKILL it: a {@link Monitor} recording
 * inferences of two models (and an occasional error) every {@code periodMs}, until killed.
 *
 * <p>Args: {@code <redis-url> <server-id> <report-interval-ms> <period-ms>}. Prints {@code
 * recording <server-id>} once its first records are written.
 */
public final class MonitorWriterMain {

  private MonitorWriterMain() {}

  public static void main(String[] args) throws InterruptedException {
    String url = args[0];
    String server = args[1];
    Duration interval = Duration.ofMillis(Long.parseLong(args[2]));
    long periodMs = Long.parseLong(args[3]);
    RedisConnector connector = RedisConnector.connect(url);
    Monitor monitor =
        Monitoring.start(
            Caches.redis(connector),
            MonitoringOptions.builder()
                .serverId(server)
                .reportInterval(interval)
                .flushInterval(Duration.ofMillis(200))
                .build());
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    long[] seq = {0};
    timer.scheduleAtFixedRate(
        () -> {
          long n = seq[0]++;
          ThreadLocalRandom r = ThreadLocalRandom.current();
          InferenceRecord rec =
              InferenceRecord.builder()
                  .latencyMicros(500 + r.nextInt(20_000))
                  .prediction(Prediction.classes(Map.of("cat", r.nextDouble(), "dog", 0.5)))
                  .tag("seq", Long.toString(n))
                  .build();
          String model = n % 2 == 0 ? "model-a" : "model-b";
          if (n % 50 == 49) {
            monitor.recordError(model, rec, new IllegalStateException("synthetic failure " + n));
          } else {
            monitor.record(model, rec);
          }
          if (n == 20) {
            monitor.flush(Duration.ofSeconds(10));
            System.out.println("recording " + server);
          }
        },
        0,
        periodMs,
        TimeUnit.MILLISECONDS);
    new CountDownLatch(1).await(); // runs until the test kills this JVM
  }
}
