package io.inferis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.registry.GoldenRedis;
import io.inferis.registry.RealFeast;
import io.inferis.registry.SqlRegistryWriter;
import io.inferis.registry.internal.proto.Registry;
import io.inferis.testing.JavaProcess;
import io.inferis.testing.PostgresServer;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 22 requests recorded from the real {@code feast serve}, replayed in order against {@code
 * inferis serve --feast-repo} on the same repository and the same Redis bytes (loaded from Feast's
 * dump): with {@code --statuses python} every successful answer equals Feast's (columns by name;
 * values, statuses and timestamps exact), Feast's own errors come back in Feast's body, and the
 * other errors in the same status class, except the two client mistakes Feast answers with 500 (an
 * unknown feature, a missing join key), which inferis answers with 4xx by design. The registry is
 * read from the file {@code feast apply} wrote, and from SQLite and PostgreSQL SQL registries
 * holding the same objects ({@link SqlRegistryWriter}). With {@code --statuses precise} the same
 * answers carry the serving protobuf's statuses.
 */
class FeastReplayTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Feast answers these with 500; inferis with 4xx (a client's mistake is not a server error). */
  private static final Set<String> CLIENT_MISTAKES_FEAST_CALLS_500 =
      Set.of("error_unknown_feature", "error_missing_join_key");

  @TempDir static Path tmp;
  private static PostgresServer postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = PostgresServer.start("feast-registry");
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  private record Case(
      String name, String method, String path, int status, String request, String response) {}

  private static List<Case> cases() throws Exception {
    List<Case> out = new ArrayList<>();
    for (JsonNode c : JSON.readTree(RealFeast.bytes("golden/http/index.json"))) {
      out.add(
          new Case(
              c.get("name").asText(),
              c.get("method").asText(),
              c.get("path").asText(),
              c.get("status").asInt(),
              c.get("request_file").isNull()
                  ? ""
                  : new String(
                      RealFeast.bytes("golden/http/" + c.get("request_file").asText()),
                      StandardCharsets.UTF_8),
              new String(
                  RealFeast.bytes("golden/http/" + c.get("response_file").asText()),
                  StandardCharsets.UTF_8)));
    }
    assertThat(out).hasSize(22);
    return out;
  }

  @Test
  void fileRegistry_pythonStatuses_answersAsFeast() throws Exception {
    replay(RealFeast.copyRepo(tmp), "python");
  }

  @Test
  void sqliteRegistry_pythonStatuses_answersAsFeast() throws Exception {
    Path repo = RealFeast.copyRepo(tmp);
    try (Connection c =
        DriverManager.getConnection("jdbc:sqlite:" + repo.resolve("data/registry.sqlite"))) {
      SqlRegistryWriter.write(c, realRegistry(), RealFeast.PROJECT, false);
    }
    Files.delete(repo.resolve("data/registry.db"));
    useSqlRegistry(repo, "sqlite:///data/registry.sqlite");
    replay(repo, "python");
  }

  @Test
  void postgresRegistry_pythonStatuses_answersAsFeast() throws Exception {
    Path repo = RealFeast.copyRepo(tmp);
    String database = "replay" + System.nanoTime();
    try (Connection c = postgres.connect("postgres")) {
      c.createStatement().execute("CREATE DATABASE " + database);
    }
    try (Connection c = postgres.connect(database)) {
      SqlRegistryWriter.write(c, realRegistry(), RealFeast.PROJECT, true);
    }
    Files.delete(repo.resolve("data/registry.db"));
    useSqlRegistry(repo, postgres.sqlalchemyUrl(database));
    replay(repo, "python");
  }

  @Test
  void fileRegistry_preciseStatuses_sayWhatIsMissingNullOrOld() throws Exception {
    replay(RealFeast.copyRepo(tmp), "precise");
  }

  private static Registry realRegistry() throws Exception {
    return RealFeast.registry();
  }

  private static void useSqlRegistry(Path repo, String url) throws Exception {
    Files.writeString(
        repo.resolve("feature_store.yaml"),
        "project: feast_oracle\n"
            + "registry:\n  registry_type: sql\n  path: "
            + url
            + "\n  cache_ttl_seconds: 60\n"
            + "online_store:\n  type: redis\n  connection_string: \"127.0.0.1:${FEAST_REDIS_PORT}\"\n"
            + "entity_key_serialization_version: 3\n");
  }

  private void replay(Path repo, String statuses) throws Exception {
    GoldenRedis.load(redis.get());
    try (JavaProcess server =
        JavaProcess.start(
            Map.of("FEAST_REDIS_PORT", Integer.toString(redis.get().port())),
            Main.class,
            "serve",
            "--feast-repo",
            repo.toString(),
            "--statuses",
            statuses,
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--grpc-port",
            "0")) {
      String base =
          ServeBanner.baseUrl(server.awaitLine(ServeBanner.PREFIX, Duration.ofSeconds(60)));
      for (Case c : cases()) {
        HttpResponse<String> r = send(base, c);
        String what = c.name() + " (" + statuses + "): " + r.statusCode() + " " + r.body();
        if (CLIENT_MISTAKES_FEAST_CALLS_500.contains(c.name())) {
          assertThat(r.statusCode()).as(what).isBetween(400, 499);
          assertThat(JSON.readTree(r.body()).path("error").asText()).as(what).isNotBlank();
          continue;
        }
        assertThat(r.statusCode() / 100).as(what).isEqualTo(c.status() / 100);
        if (c.status() != 200) {
          if (c.response().startsWith("\"{\\\"module\\\": \\\"feast.errors\\\"")) {
            assertThat(r.body()).as(what).isEqualTo(c.response());
          }
          continue;
        }
        if (!c.path().equals("/get-online-features")) {
          assertThat(r.body()).as(what).isEqualTo(c.response());
          continue;
        }
        Map<String, JsonNode> expected = columns(JSON.readTree(c.response()));
        Map<String, JsonNode> actual = columns(JSON.readTree(r.body()));
        assertThat(actual.keySet()).as(what).isEqualTo(expected.keySet());
        for (Map.Entry<String, JsonNode> col : expected.entrySet()) {
          JsonNode want =
              statuses.equals("python") ? col.getValue() : precise(col.getKey(), col.getValue());
          assertThat(actual.get(col.getKey())).as(what + " column " + col.getKey()).isEqualTo(want);
        }
      }
    }
  }

  private static HttpResponse<String> send(String base, Case c) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + c.path())).timeout(Duration.ofSeconds(10));
    if (c.method().equals("GET")) {
      b.GET();
    } else {
      b.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(c.request()));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** An answer's columns by feature name: {values, statuses, event_timestamps} each. */
  private static Map<String, JsonNode> columns(JsonNode answer) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    JsonNode names = answer.at("/metadata/feature_names");
    for (int i = 0; i < names.size(); i++) {
      out.put(names.get(i).asText(), answer.at("/results/" + i));
    }
    return out;
  }

  /**
   * Feast's Python answer, with the statuses the serving protobuf gives: a null at 1970 is a
   * missing value (NOT_FOUND), a null with a time a stored null (NULL_VALUE), a value of
   * driver_hourly_stats (ttl 1 h) older than an hour OUTSIDE_MAX_AGE; join-key columns PRESENT.
   */
  private static JsonNode precise(String name, JsonNode column) {
    var copy = column.deepCopy();
    var statuses = (com.fasterxml.jackson.databind.node.ArrayNode) copy.get("statuses");
    boolean hourly =
        Set.of("conv_rate", "acc_rate", "avg_daily_trips", "rank", "name", "active").contains(name)
            || name.startsWith("driver_hourly_stats__");
    for (int r = 0; r < statuses.size(); r++) {
      JsonNode value = column.get("values").get(r);
      Instant ts = Instant.parse(column.get("event_timestamps").get(r).asText());
      String s = "PRESENT";
      if (value.isNull()) {
        s = ts.equals(Instant.EPOCH) ? "NOT_FOUND" : "NULL_VALUE";
      } else if (hourly && ts.isBefore(Instant.now().minus(Duration.ofHours(1)))) {
        s = "OUTSIDE_MAX_AGE";
      }
      statuses.set(r, s);
    }
    return copy;
  }
}
