package io.inferis.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server ceiling: {@code redis-benchmark -P 16 -c 64} running HMGET of the same field count on
 * a hash shaped like a Feast row, when {@code redis-benchmark} is on PATH (0 otherwise).
 */
final class RedisBenchmarkCeiling {

  private RedisBenchmarkCeiling() {}

  /** Its row of a scenario, empty when {@code redis-benchmark} did not run. */
  static Optional<Row> measure(Target target, Scenario sc, Layout layout) {
    double rb = hmget(target.masters().get(0).port(), target.cluster(), layout.fields().length);
    return rb > 0
        ? Optional.of(
            new Row(target.topology(), sc.name(), "redis-benchmark -P 16 HMGET", rb, 0, 0, 64))
        : Optional.empty();
  }

  static double hmget(int port, boolean cluster, int fields) {
    String key = "{bench}:hash";
    try (RedisClient client = RedisClient.create("redis://127.0.0.1:" + port)) {
      // In a cluster, write the hash through a node that owns it (redis-benchmark follows MOVED).
      if (!cluster) {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
          Map<String, String> hash = new LinkedHashMap<>();
          for (int i = 0; i < fields; i++) {
            hash.put("field" + i, "value-" + i);
          }
          c.sync().hset(key, hash);
        }
      }
    } catch (RuntimeException e) {
      return 0;
    }
    List<String> cmd =
        new ArrayList<>(
            List.of("redis-benchmark", "-h", "127.0.0.1", "-p", Integer.toString(port)));
    if (cluster) {
      cmd.add("--cluster");
    }
    cmd.addAll(List.of("-c", "64", "-P", "16", "-n", "400000", "-q", "HMGET", key));
    for (int i = 0; i < fields; i++) {
      cmd.add("field" + i);
    }
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return 0;
      }
      Matcher m = Pattern.compile("([0-9.]+) requests per second").matcher(out);
      double last = 0;
      while (m.find()) {
        last = Double.parseDouble(m.group(1));
      }
      return last;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
