package io.inferis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.registry.GoldenRedis;
import io.inferis.registry.RealFeast;
import io.inferis.registry.internal.proto.FeatureService;
import io.inferis.registry.internal.proto.FeatureServiceSpec;
import io.inferis.registry.internal.proto.FeatureSpecV2;
import io.inferis.registry.internal.proto.FeatureView;
import io.inferis.registry.internal.proto.FeatureViewProjection;
import io.inferis.registry.internal.proto.Registry;
import io.inferis.registry.internal.proto.ValueType;
import io.inferis.testing.JavaProcess;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A served Feast registry changing under load ({@code cache_ttl_seconds: 1}): a new view and a new
 * feature service become servable within the TTL and a second, while every request meanwhile is
 * answered in time; a corrupt registry leaves the last good one serving, counted in the metrics.
 */
class FeastRefreshTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  @TempDir Path tmp;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static final String EXISTING =
      "{\"features\":[\"driver_hourly_stats:conv_rate\"],\"entities\":{\"driver_id\":[1001]}}";
  private static final String NEW_VIEW =
      "{\"features\":[\"driver_mood:mood\"],\"entities\":{\"driver_id\":[1001]}}";
  private static final String NEW_SERVICE =
      "{\"feature_service\":\"moods\",\"entities\":{\"driver_id\":[1001]}}";

  /** The real registry plus view driver_mood (driver_profile's key) and service moods on it. */
  private static byte[] grown() throws Exception {
    Registry r = RealFeast.registry();
    FeatureView profile = RealFeast.view(r, "driver_profile");
    FeatureSpecV2 mood =
        FeatureSpecV2.newBuilder().setName("mood").setValueType(ValueType.Enum.STRING).build();
    FeatureView view =
        profile.toBuilder()
            .setSpec(
                profile.getSpec().toBuilder()
                    .setName("driver_mood")
                    .clearFeatures()
                    .addFeatures(mood))
            .build();
    FeatureService service =
        FeatureService.newBuilder()
            .setSpec(
                FeatureServiceSpec.newBuilder()
                    .setName("moods")
                    .setProject(RealFeast.PROJECT)
                    .addFeatures(
                        FeatureViewProjection.newBuilder()
                            .setFeatureViewName("driver_mood")
                            .addFeatureColumns(mood)))
            .build();
    return r.toBuilder().addFeatureViews(view).addFeatureServices(service).build().toByteArray();
  }

  private static HttpResponse<String> post(String base, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/get-online-features"))
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String get(String base, String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void aGrownRegistry_servesItsNewViewAndServiceWithinTheTtl_whileLoadIsAnsweredInTime()
      throws Exception {
    GoldenRedis.load(redis.get());
    Path repo = RealFeast.copyRepo(tmp);
    Path yaml = repo.resolve("feature_store.yaml");
    Files.writeString(
        yaml,
        Files.readString(yaml).replace("cache_ttl_seconds: 60", "cache_ttl_seconds: 1"),
        StandardCharsets.UTF_8);
    try (JavaProcess server =
        JavaProcess.start(
            Map.of("FEAST_REDIS_PORT", Integer.toString(redis.get().port())),
            Main.class,
            ServeBanner.serveOnFreePorts(
                "--feast-repo", repo.toString(), "--request-timeout", "1000"))) {
      String base =
          ServeBanner.baseUrl(server.awaitLine(ServeBanner.PREFIX, Duration.ofSeconds(60)));
      assertThat(post(base, NEW_VIEW).statusCode()).isEqualTo(404);

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong answered = new AtomicLong();
      ConcurrentLinkedQueue<String> bad = new ConcurrentLinkedQueue<>();
      List<Thread> load =
          List.of(1, 2, 3, 4).stream()
              .map(
                  i ->
                      new Thread(
                          () -> {
                            while (running.get()) {
                              long start = System.nanoTime();
                              try {
                                HttpResponse<String> r = post(base, EXISTING);
                                long ms = (System.nanoTime() - start) / 1_000_000;
                                if (r.statusCode() != 200 || ms > 1000) {
                                  bad.add(r.statusCode() + " in " + ms + " ms: " + r.body());
                                } else {
                                  answered.incrementAndGet();
                                }
                              } catch (Exception e) {
                                bad.add(e.toString());
                              }
                            }
                          }))
              .toList();
      load.forEach(Thread::start);
      try {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> answered.get() > 50);
        long replacedAt = System.nanoTime();
        RealFeast.replace(repo.resolve("data/registry.db"), grown());
        Awaitility.await("the new view and service serve")
            .atMost(Duration.ofSeconds(3))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () ->
                    post(base, NEW_VIEW).statusCode() == 200
                        && post(base, NEW_SERVICE).statusCode() == 200);
        assertThat(Duration.ofNanos(System.nanoTime() - replacedAt))
            .isLessThan(Duration.ofSeconds(2));

        RealFeast.replace(
            repo.resolve("data/registry.db"), "corrupt".getBytes(StandardCharsets.UTF_8));
        Awaitility.await("the failed refresh is counted")
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    get(base, "/metrics").contains("inferis_registry_refresh_failures_total 1.0")
                        || get(base, "/metrics")
                            .matches("(?s).*inferis_registry_refresh_failures_total [1-9].*"));
        assertThat(post(base, NEW_SERVICE).statusCode()).isEqualTo(200);
        assertThat(
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .statusCode())
            .isEqualTo(200);
        assertThat(get(base, "/metrics")).contains("inferis_registry_age_seconds");
      } finally {
        running.set(false);
        for (Thread t : load) {
          t.join(10_000);
        }
      }
      assertThat(bad).isEmpty();
      assertThat(answered.get()).isGreaterThan(50);
    }
  }
}
