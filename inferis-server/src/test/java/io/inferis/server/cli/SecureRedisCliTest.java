package io.inferis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.testing.JavaProcess;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.inferis.testing.RedisSecurity;
import io.inferis.testing.TlsMaterial;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code serve}, {@code load} and {@code audit} against Redis with TLS and an ACL user: the
 * password comes from the environment, TLS from the shared flags, and neither the banner, the logs
 * nor {@code /health} show the password; refused credentials exit 2 at once.
 */
class SecureRedisCliTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis =
      RedisFixture.standalone(RedisSecurity.acl().withTls());

  private static final String PASSWORD = RedisSecurity.userPassword();

  private final InProcessCli cli = new InProcessCli();
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  private int run(String... args) {
    return cli.run(args);
  }

  private static String hostPort() {
    return redis.get().host() + ":" + redis.get().port();
  }

  private static String caCert() {
    return TlsMaterial.get().caCert().toString();
  }

  @Test
  void serve_withPasswordFromEnvAndTlsFlags_answersLookups_andNeverShowsThePassword()
      throws Exception {
    JavaProcess server =
        JavaProcess.start(
            Map.of("INFERIS_REDIS_PASSWORD", PASSWORD, "INFERIS_REDIS_CA_CERT", caCert()),
            Main.class,
            ServeBanner.serveOnFreePorts(
                "--demo", "--redis", "rediss://" + hostPort(), "--redis-user", RedisSecurity.USER));
    try {
      String banner = server.awaitLine(ServeBanner.PREFIX, Duration.ofSeconds(60));
      assertThat(banner).contains("(store: rediss://" + hostPort() + ")").doesNotContain(PASSWORD);
      String base = ServeBanner.baseUrl(banner);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).doesNotContain(PASSWORD);
      HttpResponse<String> lookup =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/get-online-features"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"features\":[\"driver_hourly_stats:conv_rate\"],"
                              + "\"entities\":{\"driver_id\":[1001]}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(lookup.statusCode()).as(lookup.body()).isEqualTo(200);
      assertThat(lookup.body()).contains("PRESENT");
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body()).doesNotContain(PASSWORD);
      // Written by the demo through the ACL user over TLS: the data is really in this Redis.
      long keys = redis.get().call(c -> c.dbsize());
      assertThat(keys).isPositive();
      assertThat(server.transcript()).contains("inferis serving").doesNotContain(PASSWORD);
    } finally {
      server.close();
    }
  }

  @Test
  void wrongPassword_exitsTwoAtOnce_namingTheEndpointNotThePassword() {
    String bad = "not-" + PASSWORD;
    for (String cmd : new String[] {"serve", "audit"}) {
      long start = System.nanoTime();
      int code =
          "serve".equals(cmd)
              ? run(
                  cmd,
                  "--demo",
                  "--port",
                  "0",
                  "--redis",
                  "rediss://alice:" + bad + "@" + hostPort(),
                  "--redis-ca-cert",
                  caCert())
              : run(
                  cmd,
                  "--redis",
                  "rediss://alice:" + bad + "@" + hostPort(),
                  "--redis-ca-cert",
                  caCert());
      assertThat(code).as(cmd + ": " + err).isEqualTo(2);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(err.toString())
          .contains("authentication to Redis at rediss://alice:***@" + hostPort())
          .contains("WRONGPASS")
          .doesNotContain(bad);
    }
  }

  @Test
  void load_untrustedCa_exitsTwoWithTlsMessage(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path repo = dir.resolve("repo.yaml");
    java.nio.file.Files.writeString(
        repo,
        "project: p\nentities:\n  - {name: driver, join_keys: [driver_id], value_type: Int64}\n"
            + "feature_views:\n  - name: v\n    entities: [driver]\n    schema:\n"
            + "      - {name: f, dtype: Float32}\n");
    java.nio.file.Path csv = dir.resolve("rows.csv");
    java.nio.file.Files.writeString(csv, "driver_id,f,event_timestamp\n1,0.5,1700000000\n");
    int code =
        run(
            "load",
            "--redis",
            redis.get().uri(),
            "--redis-ca-cert",
            TlsMaterial.get().untrustedCaCert().toString(),
            "--repo",
            repo.toString(),
            "--view",
            "v",
            "--file",
            csv.toString());
    assertThat(code).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains("TLS handshake with Redis at").contains(hostPort());
    assertThat(err.toString()).doesNotContain(PASSWORD);
  }

  @Test
  void redisUserWithoutPassword_isAUsageError() {
    int code =
        run(
            "audit",
            "--redis",
            "rediss://" + hostPort(),
            "--redis-user",
            "alice",
            "--redis-ca-cert",
            caCert());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("--redis-user needs the password in INFERIS_REDIS_PASSWORD");
  }

  @Test
  void serve_securityFlagsWithoutRedis_areAUsageError_notSilentlyIgnored() {
    assertThat(run("serve", "--demo", "--port", "0", "--redis-ca-cert", caCert())).isEqualTo(2);
    assertThat(err.toString()).contains("no --redis URL");
  }

  @Test
  void everyRedisCommand_hasTheSecurityFlags() {
    for (String sub : new String[] {"serve", "load", "audit"}) {
      assertThat(run(sub, "--help")).isZero();
      assertThat(out.toString())
          .contains("--redis-ca-cert")
          .contains("--redis-client-cert")
          .contains("--redis-client-key")
          .contains("--redis-skip-hostname-check")
          .contains("--redis-user");
    }
  }
}
