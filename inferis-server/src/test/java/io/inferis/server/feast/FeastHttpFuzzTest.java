package io.inferis.server.feast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.registry.FeastRepoConfig;
import io.inferis.registry.RealFeast;
import io.inferis.registry.RefreshingRegistry;
import io.inferis.registry.RegistrySource;
import io.inferis.server.FeatureHttpServer;
import io.inferis.server.ServerOptions;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Feast endpoints of a server on the real repository ({@code feature_service}, push sources,
 * the write schema), fed the real Feast requests mutated from a fixed seed: every answer is 2xx or
 * 4xx, never 5xx or a dropped request, and every 4xx body is {@code {"error": "..."}} or Feast's
 * own error body (a JSON string holding {@code module}, {@code class} and {@code message}).
 */
class FeastHttpFuzzTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int REQUESTS = 1_500;

  @TempDir Path tmp;

  record Seed(String path, JsonNode body) {}

  @Test
  void mutatedFeastRequests_areAnsweredWith2xxOr4xxAndAClearBody() throws Exception {
    Path repo = RealFeast.copyRepo(tmp);
    FeastRepoConfig config = FeastRepoConfig.load(repo, repo.resolve(FeastRepoConfig.DEFAULT_FILE));
    ServerOptions options = ServerOptions.builder().maxEntities(100).maxFeatures(50).build();
    try (RefreshingRegistry registry =
            RefreshingRegistry.start(
                RegistrySource.of(config), Duration.ZERO, InstantSource.system(), null, null);
        FeatureStore store =
            FeatureStores.memory(() -> registry.get().repo(), FeatureStoreOptions.defaults())) {
      Vertx vertx = FeatureHttpServer.newVertx(options);
      FeatureHttpServer server =
          FeatureHttpServer.builder(vertx, store).feastRegistry(registry).options(options).build();
      try {
        String base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Seed> seeds = seeds();
        Random random = new Random(1_616);
        for (int i = 0; i < REQUESTS; i++) {
          Seed seed = seeds.get(random.nextInt(seeds.size()));
          JsonNode body = seed.body().deepCopy();
          int mutations = 1 + random.nextInt(3);
          for (int m = 0; m < mutations; m++) {
            body = mutate(body, random);
          }
          String text = JSON.writeValueAsString(body);
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(base + seed.path()))
                      .timeout(Duration.ofSeconds(10))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(text))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          String what = "request " + i + " " + seed.path() + " " + text + " -> " + r.body();
          assertThat(r.statusCode()).as(what).isBetween(200, 499);
          if (r.statusCode() >= 400) {
            assertClearError(r.body(), what);
          }
        }
      } finally {
        server.close();
        vertx.close().await();
      }
    }
  }

  /** {@code {"error": "..."}}, or Feast's error: a JSON string holding module, class, message. */
  private static void assertClearError(String body, String what) throws Exception {
    JsonNode n = JSON.readTree(body);
    if (n.isTextual()) {
      JsonNode feast = JSON.readTree(n.textValue());
      assertThat(feast.path("class").asText()).as(what).isNotBlank();
      assertThat(feast.path("message").asText()).as(what).isNotBlank();
    } else {
      assertThat(n.path("error").asText()).as(what).isNotBlank();
    }
  }

  /** The recorded POST requests to Feast's endpoints. */
  static List<Seed> seeds() throws Exception {
    List<Seed> out = new ArrayList<>();
    for (JsonNode c : JSON.readTree(RealFeast.bytes("golden/http/index.json"))) {
      if (c.get("method").asText().equals("POST") && !c.get("request_file").isNull()) {
        byte[] body = RealFeast.bytes("golden/http/" + c.get("request_file").asText());
        out.add(
            new Seed(
                c.get("path").asText(), JSON.readTree(new String(body, StandardCharsets.UTF_8))));
      }
    }
    assertThat(out).hasSizeGreaterThan(15);
    return out;
  }

  /** One random change somewhere in the tree: replace, drop or add a node. */
  static JsonNode mutate(JsonNode root, Random random) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    if (containers.isEmpty()) {
      return random.nextBoolean() ? root : randomValue(random);
    }
    JsonNode c = containers.get(random.nextInt(containers.size()));
    if (c instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      switch (random.nextInt(3)) {
        case 0 -> {
          if (!names.isEmpty()) {
            o.remove(names.get(random.nextInt(names.size())));
          }
        }
        case 1 -> {
          if (!names.isEmpty()) {
            o.set(names.get(random.nextInt(names.size())), randomValue(random));
          }
        }
        default ->
            o.set(
                random.nextBoolean()
                    ? "feature_service"
                    : List.of("to", "full_feature_names", "push_source_name", "df", "entities")
                        .get(random.nextInt(5)),
                randomValue(random));
      }
    } else if (c instanceof ArrayNode a) {
      switch (random.nextInt(3)) {
        case 0 -> {
          if (!a.isEmpty()) {
            a.remove(random.nextInt(a.size()));
          }
        }
        case 1 -> {
          if (!a.isEmpty()) {
            a.set(random.nextInt(a.size()), randomValue(random));
          }
        }
        default -> a.add(a.isEmpty() ? randomValue(random) : a.get(random.nextInt(a.size())));
      }
    }
    return root;
  }

  private static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      out.add(n);
      n.forEach(child -> collect(child, out));
    }
  }

  private static JsonNode randomValue(Random random) {
    return switch (random.nextInt(12)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.numberNode(random.nextLong());
      case 2 -> NODES.numberNode(random.nextDouble() * 1e300);
      case 3 -> NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
      case 4 -> NODES.booleanNode(random.nextBoolean());
      case 5 -> NODES.textNode("");
      case 6 ->
          NODES.textNode(
              List.of(
                      "driver_activity",
                      "driver_stats_push",
                      "driver_hourly_stats:conv_rate",
                      "driver_hourly_stats",
                      "online_and_offline",
                      "offline",
                      "2026-13-45T99:00:00",
                      "x:y:z",
                      ":",
                      "\u0000\uFFFF")
                  .get(random.nextInt(10)));
      case 7 -> NODES.arrayNode();
      case 8 -> NODES.objectNode();
      case 9 -> NODES.arrayNode().add(NODES.nullNode()).add(NODES.numberNode(1001));
      case 10 -> NODES.objectNode().set("driver_id", NODES.arrayNode().add(1001).add(1002));
      default -> NODES.numberNode(1001);
    };
  }
}
