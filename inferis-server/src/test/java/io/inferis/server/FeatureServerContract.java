package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.redis.RedisOptions;
import io.inferis.server.feast.Statuses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End to end over real HTTP: the same tests on the in-memory store, Redis and Redis Cluster. */
abstract class FeatureServerContract {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A fresh, empty store over {@link Demo#repo()}. */
  protected abstract FeatureStore newStore();

  /** What the server is built with besides its store and options; nothing more by default. */
  protected FeatureHttpServer.Builder more(FeatureHttpServer.Builder server) {
    return server;
  }

  /** {@code server} with a connector to {@code uri} per event loop, each with a demo store. */
  static FeatureHttpServer.Builder perLoop(FeatureHttpServer.Builder server, String uri) {
    return server.redisPerLoop(
        uri, RedisOptions.defaults(), c -> FeatureStores.redis(Demo.repo(), c));
  }

  private FeatureStore store;
  private RunningServer server;
  private String base;

  @BeforeEach
  void start() {
    store = newStore();
    server =
        RunningServer.start(
            store,
            ServerOptions.builder().maxBodyBytes(64 * 1024).maxEntities(100).build(),
            b -> more(b.statuses(Statuses.PRECISE)));
    base = server.base();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  record Reply(int status, String body) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }
  }

  Reply post(String path, String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  Reply get(String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  private static final String LOOKUP =
      "{\"features\":[\"driver_hourly_stats:conv_rate\",\"driver_hourly_stats:avg_daily_trips\"],"
          + "\"entities\":{\"driver_id\":[1001,4242]}}";

  private Reply push(long driver, double conv, long trips, Instant t) throws Exception {
    return post(
        "/push",
        "{\"push_source_name\":\"driver_hourly_stats\",\"to\":\"online\",\"df\":{\"driver_id\":["
            + driver
            + "],\"conv_rate\":["
            + conv
            + "],\"acc_rate\":[0.5],\"avg_daily_trips\":["
            + trips
            + "],\"event_timestamp\":[\""
            + t
            + "\"]}}");
  }

  @Test
  void health_isOk() throws Exception {
    assertThat(get("/health").status()).isEqualTo(200);
  }

  @Test
  void push_thenGetOnlineFeatures_roundTripsInFeastShape() throws Exception {
    Instant t = Instant.now().minusSeconds(3600).truncatedTo(ChronoUnit.SECONDS);
    assertThat(push(1001, 0.25, 12, t).status()).isEqualTo(200);
    Reply r = post("/get-online-features", LOOKUP);
    assertThat(r.status()).isEqualTo(200);
    JsonNode j = r.json();
    assertThat(j.at("/metadata/feature_names").toString())
        .isEqualTo("[\"driver_id\",\"conv_rate\",\"avg_daily_trips\"]");
    assertThat(j.at("/results/0/values").toString()).isEqualTo("[1001,4242]");
    assertThat(j.at("/results/0/statuses").toString()).isEqualTo("[\"PRESENT\",\"PRESENT\"]");
    assertThat(j.at("/results/0/event_timestamps/0").asText()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(j.at("/results/1/values").toString()).isEqualTo("[0.25,null]");
    assertThat(j.at("/results/1/statuses").toString()).isEqualTo("[\"PRESENT\",\"NOT_FOUND\"]");
    assertThat(j.at("/results/1/event_timestamps/0").asText())
        .isEqualTo(io.inferis.feast.Timestamps.format(t));
    assertThat(j.at("/results/2/values").toString()).isEqualTo("[12,null]");
    assertThat(j.at("/results/2/statuses/1").asText()).isEqualTo("NOT_FOUND");
  }

  @Test
  void freshValue_isPresent_andFullFeatureNamesArePrefixed() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    push(1002, 0.5, 3, now);
    Reply r =
        post(
            "/get-online-features",
            "{\"features\":[\"driver_hourly_stats:avg_daily_trips\"],\"entities\":{\"driver_id\":[1002]},\"full_feature_names\":true}");
    JsonNode j = r.json();
    assertThat(j.at("/metadata/feature_names/1").asText())
        .isEqualTo("driver_hourly_stats__avg_daily_trips");
    assertThat(j.at("/results/1/statuses/0").asText()).isEqualTo("PRESENT");
    assertThat(j.at("/results/1/event_timestamps/0").asText())
        .isEqualTo(io.inferis.feast.Timestamps.format(now));
  }

  @Test
  void feastDocumentationRequest_isAcceptedUnchanged() throws Exception {
    push(1001, 0.5, 1, Instant.now());
    // The request body of docs/FEAST-LAYOUT.md, as Feast documents it.
    String feastBody =
        "{\"features\": [\"driver_hourly_stats:conv_rate\"], \"feature_service\": null,"
            + " \"entities\": {\"driver_id\": [1001, 1002]}, \"full_feature_names\": false,"
            + " \"include_feature_view_version_metadata\": false}";
    Reply r = post("/get-online-features", feastBody);
    assertThat(r.status()).isEqualTo(200);
    JsonNode j = r.json();
    assertThat(j.has("results")).isTrue();
    assertThat(j.at("/metadata/feature_names").toString())
        .isEqualTo("[\"driver_id\",\"conv_rate\"]");
    assertThat(j.at("/results/1/values/0").asDouble()).isEqualTo(0.5);
  }

  @Test
  void writeToOnlineStore_answersNull_andIsReadable() throws Exception {
    Reply w =
        post(
            "/write-to-online-store",
            "{\"feature_view_name\":\"driver_hourly_stats\",\"df\":{\"driver_id\":[1003,1004],"
                + "\"conv_rate\":[0.1,0.2],\"acc_rate\":[0.3,0.4],\"avg_daily_trips\":[5,6],"
                + "\"event_timestamp\":[\""
                + Instant.now()
                + "\",\""
                + Instant.now()
                + "\"]}}");
    assertThat(w.status()).isEqualTo(200);
    assertThat(w.body()).isEqualTo("null");
    Reply r =
        post(
            "/get-online-features",
            "{\"features\":[\"driver_hourly_stats:avg_daily_trips\"],\"entities\":{\"driver_id\":[1004,1003]}}");
    assertThat(r.json().at("/results/1/values").toString()).isEqualTo("[6,5]");
  }

  @Test
  void badInput_getsA4xxNamingTheProblem_andChangesNothing() throws Exception {
    Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    push(1001, 0.75, 9, t);
    String before = post("/get-online-features", LOOKUP).body();

    expect(
        post("/get-online-features", "{\"features\": [\"driver_hourly_stats:conv_rate\""),
        400,
        "malformed JSON");
    expect(post("/get-online-features", "[]"), 422, "JSON object");
    expect(
        post(
            "/get-online-features",
            "{\"features\":[\"driver_hourly_stats:conv_rate\"],\"entities\":{\"driver_id\":[\"abc\"]}}"),
        422,
        "entities.driver_id[0]");
    expect(
        post(
            "/get-online-features",
            "{\"features\":[\"nope:conv_rate\"],\"entities\":{\"driver_id\":[1]}}"),
        404,
        "nope");
    expect(
        post(
            "/get-online-features",
            "{\"features\":[\"driver_hourly_stats:nope\"],\"entities\":{\"driver_id\":[1]}}"),
        404,
        "nope");
    expect(
        post("/get-online-features", "{\"features\":[42],\"entities\":{\"driver_id\":[1]}}"),
        422,
        "strings");
    expect(
        post(
            "/get-online-features",
            "{\"features\":[\"driver_hourly_stats:conv_rate\"],\"entities\":{}}"),
        422,
        "entities");
    StringBuilder many =
        new StringBuilder(
            "{\"features\":[\"driver_hourly_stats:conv_rate\"],\"entities\":{\"driver_id\":[");
    for (int i = 0; i < 101; i++) {
      many.append(i == 0 ? "" : ",").append(i);
    }
    expect(post("/get-online-features", many + "]}}"), 413, "too many entity rows");
    expect(
        post("/get-online-features", "{\"pad\":\"" + "x".repeat(70 * 1024) + "\"}"),
        413,
        "over 65536 bytes");
    expect(
        post(
            "/push",
            "{\"push_source_name\":\"driver_hourly_stats\",\"df\":{\"driver_id\":[1001],\"avg_daily_trips\":[\"lots\"],\"event_timestamp\":[\""
                + t.plusSeconds(60)
                + "\"]}}"),
        422,
        "avg_daily_trips");
    expect(
        post(
            "/push",
            "{\"push_source_name\":\"driver_hourly_stats\",\"df\":{\"driver_id\":[1001,1002],\"avg_daily_trips\":[1],\"event_timestamp\":[\""
                + t.plusSeconds(60)
                + "\"]}}"),
        422,
        "same length");
    expect(
        post(
            "/push",
            "{\"push_source_name\":\"driver_hourly_stats\",\"df\":{\"driver_id\":[1001],\"avg_daily_trips\":[1],\"event_timestamp\":[\"yesterday\"]}}"),
        422,
        "timestamp");
    expect(post("/push", "{\"push_source_name\":\"ghost\",\"df\":{\"x\":[1]}}"), 404, "ghost");
    expect(post("/nope", "{}"), 404, "no route");
    expect(get("/get-online-features"), 405, "no route");

    assertThat(post("/get-online-features", LOOKUP).body()).as("store unchanged").isEqualTo(before);
    assertThat(get("/health").status()).isEqualTo(200);
  }

  private static void expect(Reply r, int status, String fragment) throws Exception {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().path("error").asText()).contains(fragment);
  }
}
