package io.inferis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.registry.RealFeast;
import io.inferis.testing.JavaProcess;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.inferis.testing.RedisSentinelGroup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Feast repository whose {@code online_store} is a Redis Cluster ({@code redis_type:
 * redis_cluster}) or a Sentinel group ({@code redis_sentinel}), served from its yaml alone: a row
 * written through {@code /write-to-online-store} reads back.
 */
class FeastRedisTypesTest {

  @RegisterExtension static final RedisFixture<RedisCluster> cluster = RedisFixture.cluster();

  @RegisterExtension
  static final RedisFixture<RedisSentinelGroup> sentinel = RedisFixture.sentinel();

  @TempDir Path tmp;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static final String WRITE =
      "{\"feature_view_name\":\"customer_stats\",\"df\":{\"customer_id\":[\"c-9\"],"
          + "\"lifetime_value\":[4.5],\"segment\":[\"gold\"],\"orders\":[7],"
          + "\"event_timestamp\":[\"2026-11-21T09:00:00+00:00\"]}}";
  private static final String READ =
      "{\"features\":[\"customer_stats:segment\",\"customer_stats:orders\"],"
          + "\"entities\":{\"customer_id\":[\"c-9\"]}}";

  @Test
  void aClusterConnectionString_servesFromTheCluster() throws Exception {
    cluster.get().awaitHealthy();
    List<RedisNode> masters = cluster.get().masters();
    String nodes =
        masters.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(","));
    roundTrip("  redis_type: redis_cluster\n  connection_string: \"" + nodes + "\"\n");
    assertThat(masters.stream().mapToLong(m -> m.call(c -> c.dbsize())).sum()).isPositive();
  }

  @Test
  void aSentinelConnectionString_servesFromTheMaster() throws Exception {
    String sentinels =
        sentinel.get().sentinels().stream()
            .map(n -> n.host() + ":" + n.port())
            .collect(Collectors.joining(","));
    roundTrip(
        "  redis_type: redis_sentinel\n  sentinel_master: "
            + RedisSentinelGroup.MASTER_NAME
            + "\n  connection_string: \""
            + sentinels
            + "\"\n");
    long keys = sentinel.get().master().call(c -> c.dbsize());
    assertThat(keys).isPositive();
  }

  private void roundTrip(String store) throws Exception {
    Path repo = RealFeast.copyRepo(tmp);
    Files.writeString(
        repo.resolve("feature_store.yaml"),
        "project: feast_oracle\nregistry: data/registry.db\nonline_store:\n  type: redis\n" + store,
        StandardCharsets.UTF_8);
    try (JavaProcess server =
        JavaProcess.start(
            Main.class,
            "serve",
            "--feast-repo",
            repo.toString(),
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--grpc-port",
            "0")) {
      String base =
          ServeBanner.baseUrl(server.awaitLine(ServeBanner.PREFIX, Duration.ofSeconds(60)));
      assertThat(post(base, "/write-to-online-store", WRITE).statusCode()).isEqualTo(200);
      HttpResponse<String> read = post(base, "/get-online-features", READ);
      assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
      assertThat(read.body()).contains("\"gold\"").contains("7");
    }
  }

  private static HttpResponse<String> post(String base, String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
