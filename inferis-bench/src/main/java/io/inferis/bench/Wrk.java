package io.inferis.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wrk} (Debian's package) driving a URL: 2 threads, 64 connections. A POST's 1,000 bodies
 * are made by Lua before the run (random entities), and each request sends one of them at random:
 * made per request, Lua's formatting cost wrk 3-6 µs of CPU per request on the cores the server
 * uses. The JDK's HttpClient could not drive more than ~2k requests/s here, far below the server.
 */
final class Wrk {

  /** Lua helper for bodies: {@code ids(n)}, n random driver ids 0-999 joined by commas. */
  private static final String IDS =
      """
      function ids(n)
        local t = {}
        for i = 1, n do t[i] = tostring(math.random(0, 999)) end
        return table.concat(t, ",")
      end
      """;

  private Wrk() {}

  /**
   * POSTs JSON for {@code seconds}: {@code body} is a Lua string literal's contents (quotes escaped
   * for Lua) with one {@code %d}, filled by {@code id}, a Lua expression.
   */
  static Row run(String url, String body, String id, double seconds, String scenario, String name)
      throws Exception {
    return post(url, "string.format(\"" + body + "\", " + id + ")", seconds, scenario, name);
  }

  /**
   * POSTs JSON for {@code seconds}, each body the value of the Lua expression {@code body} (which
   * may call {@code ids(n)}).
   */
  static Row post(String url, String body, double seconds, String scenario, String name)
      throws Exception {
    String lua =
        IDS
            + """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            local requests = {}
            init = function(args)
              for i = 1, 1000 do requests[i] = wrk.format(nil, nil, nil, BODY) end
            end
            request = function()
              return requests[math.random(1, 1000)]
            end
            """
                .replace("BODY", body);
    return wrk(url, lua, seconds, scenario, name);
  }

  /** GETs {@code url} for {@code seconds}. */
  static Row get(String url, double seconds, String scenario, String name) throws Exception {
    return wrk(url, "wrk.method = \"GET\"\n", seconds, scenario, name);
  }

  private static Row wrk(String url, String lua, double seconds, String scenario, String name)
      throws Exception {
    Path script = Files.createTempFile("inferis-wrk", ".lua");
    Files.writeString(script, lua);
    ToolRun run;
    try {
      run =
          ToolRun.of(
              "wrk",
              List.of(
                  "-t2",
                  "-c64",
                  "-d" + (int) Math.ceil(seconds) + "s",
                  "--latency",
                  "-s",
                  script.toString(),
                  url));
    } finally {
      Files.deleteIfExists(script);
    }
    String out = run.out();
    Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
    Matcher p50 = Pattern.compile("\\s50%\\s+([0-9.]+)(us|ms|s)").matcher(out);
    Matcher p99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)").matcher(out);
    if (!rps.find() || !p50.find() || !p99.find() || out.contains("Non-2xx")) {
      throw new IllegalStateException("wrk failed or saw errors:\n" + out);
    }
    double requestsPerSecond = Double.parseDouble(rps.group(1));
    if (!Double.isNaN(run.cpuSeconds())) {
      System.out.printf(
          "%s: %.1f us of wrk CPU per request%n",
          name, run.cpuSeconds() * 1e6 / (requestsPerSecond * Math.ceil(seconds)));
    }
    return new Row(
        "redis",
        scenario,
        name,
        requestsPerSecond,
        ToolRun.millis(p50.group(1), p50.group(2)),
        ToolRun.millis(p99.group(1), p99.group(2)),
        0);
  }
}
