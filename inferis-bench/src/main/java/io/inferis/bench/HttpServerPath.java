package io.inferis.bench;

import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.redis.RedisConnector;
import io.inferis.server.FeatureHttpServer;
import io.inferis.server.ServerOptions;
import io.inferis.testing.RedisNode;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /get-online-features} through the Vert.x server on a number of event loops, over a
 * Redis connector of its own, driven by {@code wrk} (64 connections, 2 threads, a random driver per
 * request).
 */
final class HttpServerPath implements MeasuredPath {

  private final RedisNode redis;
  private final Scenario sc;
  private final RedisConnector connector;
  private final FeatureStore store;
  private final Vertx vertx;
  private final FeatureHttpServer server;
  private final String base;
  private final String name;

  /** Starts the server on {@code loops} event loops, on a free port. */
  HttpServerPath(RedisNode redis, FeatureRepo repo, Scenario sc, int loops) {
    this.redis = redis;
    this.sc = sc;
    this.connector = RedisConnector.connect(redis.uri());
    this.store = store(repo, connector);
    ServerOptions options = ServerOptions.builder().eventLoops(loops).build();
    this.vertx = FeatureHttpServer.newVertx(options);
    this.server = FeatureHttpServer.builder(vertx, store).options(options).build();
    this.base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    this.name =
        "HTTP /get-online-features (wrk), " + loops + " event loop" + (loops > 1 ? "s" : "");
  }

  /** The store each path reads through. */
  static FeatureStore store(FeatureRepo repo, RedisConnector connector) {
    return FeatureStores.redis(
        repo,
        connector,
        FeatureStoreOptions.builder()
            .inFlightLimit(256)
            .requestDeadline(Duration.ofSeconds(30))
            .build());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Row run(double seconds) throws Exception {
    Cpu cpu = Cpu.start(List.of(redis));
    Row row = wrk(seconds);
    cpu.print(name, (long) (row.lookupsPerSecond() * Math.ceil(seconds)), "server");
    return row;
  }

  @Override
  public void close() {
    server.close();
    vertx.close().await();
    store.close();
    connector.close();
  }

  /** The JDK's HttpClient could not drive more than ~2k requests/s here, far below the server. */
  private Row wrk(double seconds) throws Exception {
    Path script = Files.createTempFile("inferis-wrk", ".lua");
    String features = "[\\\"" + String.join("\\\",\\\"", sc.refs()) + "\\\"]";
    String lua =
        """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        request = function()
          local body = string.format("{\\"features\\":FEATURES,\\"entities\\":{\\"driver_id\\":[%d]}}", math.random(0, 999))
          return wrk.format(nil, nil, nil, body)
        end
        """
            .replace("FEATURES", features);
    Files.writeString(script, lua);
    Process p =
        new ProcessBuilder(
                // `times` prints the shell's and then its children's (wrk's) user and sys CPU.
                "bash",
                "-c",
                "wrk \"$@\"; times",
                "wrk",
                "-t2",
                "-c64",
                "-d" + (int) Math.ceil(seconds) + "s",
                "--latency",
                "-s",
                script.toString(),
                base + "/get-online-features")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
    Matcher p50 = Pattern.compile("\\s50%\\s+([0-9.]+)(us|ms|s)").matcher(out);
    Matcher p99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)").matcher(out);
    if (!rps.find() || !p50.find() || !p99.find() || out.contains("Non-2xx")) {
      throw new IllegalStateException("wrk failed or saw errors:\n" + out);
    }
    Matcher times = Pattern.compile("(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s\\s*$").matcher(out);
    double requestsPerSecond = Double.parseDouble(rps.group(1));
    if (times.find()) {
      double cpuSeconds =
          Integer.parseInt(times.group(1)) * 60
              + Double.parseDouble(times.group(2))
              + Integer.parseInt(times.group(3)) * 60
              + Double.parseDouble(times.group(4));
      System.out.printf(
          "%s: %.1f us of wrk CPU per request%n",
          name, cpuSeconds * 1e6 / (requestsPerSecond * Math.ceil(seconds)));
    }
    return new Row("redis", sc.name(), name, requestsPerSecond, millis(p50), millis(p99), 0);
  }

  private static double millis(Matcher m) {
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }
}
