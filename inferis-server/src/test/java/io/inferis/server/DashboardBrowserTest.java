package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.cache.Caches;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard rendered by a real headless Chromium: after a few /infer calls the rendered DOM
 * shows the demo model's numbers, and uPlot charts whose series for the demo model and for feature
 * lookups have points. Screenshots are kept at target/dashboard.png and target/dashboard-auth.png.
 */
class DashboardBrowserTest {

  @TempDir Path profile;

  private static Path chromium() {
    String configured = System.getenv("INFERIS_CHROMIUM");
    for (String candidate :
        new String[] {configured, "/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
      if (candidate != null && Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    return null;
  }

  private String runChromium(Path chromium, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=5000"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void dashboard_showsTheDemoModelsNumbers_inARealBrowser() throws Exception {
    Path chromium = chromium();
    // CI installs Chromium (.ci/run); elsewhere the test needs one and says how to get it.
    assumeTrue(
        chromium != null || "true".equals(System.getenv("CI")),
        "install chromium (apt-get install chromium) or set INFERIS_CHROMIUM");
    assertThat(chromium).as("a Chromium binary (apt-get install chromium)").isNotNull();

    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FeatureStore store = meteredDemoStore(metrics);
    try (DemoServer demo =
        DemoServer.start(store, Caches.memory(), "dash-server", FAST_HISTORY, metrics)) {
      String base = demo.base();
      inferThreeTimes(demo, null);
      awaitHistory(demo, null);

      String dom = runChromium(chromium, "--dump-dom", base + "/");
      assertThat(dom)
          .contains("data-model=\"driver-risk\"")
          .contains("<td>3</td>")
          .contains("dash-server");
      assertChartsDrawn(dom);
      screenshot(chromium, base + "/", "dashboard.png");
    }
  }

  /** With --auth-token the page takes the token from its URL fragment, and shows 401 without it. */
  @Test
  void dashboard_withAuth_readsTheTokenFromTheFragment() throws Exception {
    Path chromium = chromium();
    assumeTrue(
        chromium != null || "true".equals(System.getenv("CI")),
        "install chromium (apt-get install chromium) or set INFERIS_CHROMIUM");
    assertThat(chromium).as("a Chromium binary (apt-get install chromium)").isNotNull();
    String token = "dash-token-0123456789abcdef";
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FeatureStore store = meteredDemoStore(metrics);
    try (DemoServer demo =
        DemoServer.start(
            store,
            Caches.memory(),
            "dash-auth-server",
            FAST_HISTORY.toBuilder().authToken(token).build(),
            metrics)) {
      inferThreeTimes(demo, token);
      awaitHistory(demo, token);
      String dom = runChromium(chromium, "--dump-dom", demo.base() + "/#token=" + token);
      assertThat(dom)
          .contains("data-model=\"driver-risk\"")
          .contains("<td>3</td>")
          .contains("dash-auth-server");
      assertChartsDrawn(dom);
      screenshot(chromium, demo.base() + "/#token=" + token, "dashboard-auth.png");
      assertThat(runChromium(chromium, "--dump-dom", demo.base() + "/"))
          .contains("summary unavailable: HTTP 401")
          .contains("history unavailable: HTTP 401")
          .doesNotContain("data-model=")
          .doesNotContain("<canvas");
    }
  }

  /** Points every 100 ms, so a test sees its traffic in the history at once. */
  private static final ServerOptions FAST_HISTORY =
      ServerOptions.builder().historyStep(Duration.ofMillis(100)).build();

  private static FeatureStore meteredDemoStore(PrometheusMeterRegistry metrics) {
    FeatureStore store =
        FeatureStores.memory(
            Demo.repo(), FeatureStoreOptions.builder().meterRegistry(metrics).build());
    Demo.load(store);
    return store;
  }

  /** Until the server's history holds a point of the demo model's rate and of lookups. */
  private static void awaitHistory(DemoServer demo, String token) {
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              HttpRequest.Builder req =
                  HttpRequest.newBuilder(URI.create(demo.base() + "/monitor/history"));
              if (token != null) {
                req.header("Authorization", "Bearer " + token);
              }
              JsonNode history =
                  JSON.readTree(
                      http.send(req.build(), HttpResponse.BodyHandlers.ofString()).body());
              return maxValue(history, "models.rate", "driver-risk") > 0
                  && maxValue(history, "lookups.rate", "ok") > 0;
            });
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The largest value of {@code label} in chart {@code id} of the history; -1 if none. */
  private static double maxValue(JsonNode history, String id, String label) {
    double max = -1;
    for (JsonNode chart : history.get("charts")) {
      if (chart.get("id").asText().equals(id)) {
        for (JsonNode series : chart.get("series")) {
          if (series.get("label").asText().equals(label)) {
            for (JsonNode v : series.get("values")) {
              if (v.isNumber()) {
                max = Math.max(max, v.asDouble());
              }
            }
          }
        }
      }
    }
    return max;
  }

  /** The model-rate and lookup-rate charts are drawn (uPlot canvases) and have points. */
  private static void assertChartsDrawn(String dom) {
    assertThat(figure(dom, "models.rate")).contains("driver-risk").containsPattern(POINTS);
    assertThat(figure(dom, "lookups.rate")).contains("ok").containsPattern(POINTS);
    assertThat(dom).contains("<canvas");
  }

  private static final Pattern POINTS = Pattern.compile("data-points=\"[1-9][0-9]*\"");

  /** The opening tag of the chart {@code id}. */
  private static String figure(String dom, String id) {
    Matcher m =
        Pattern.compile("<figure[^>]*data-chart=\"" + Pattern.quote(id) + "\"[^>]*>").matcher(dom);
    assertThat(m.find()).as("chart " + id + " in " + dom).isTrue();
    return m.group();
  }

  private void screenshot(Path chromium, String url, String name) throws Exception {
    Path shot = Path.of("target", name).toAbsolutePath();
    Files.createDirectories(shot.getParent());
    runChromium(chromium, "--window-size=1200,1900", "--screenshot=" + shot, url);
    assertThat(Files.size(shot)).isPositive();
  }

  /** Three /infer calls (with the bearer token when given), flushed to the monitor. */
  private static void inferThreeTimes(DemoServer demo, String token) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 3; i++) {
      HttpRequest.Builder req =
          HttpRequest.newBuilder(URI.create(demo.base() + "/infer/driver-risk"))
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"entities\":{\"driver_id\":[" + (1001 + i) + "]}}"));
      if (token != null) {
        req.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
    assertThat(demo.monitor().flush(Duration.ofSeconds(10))).isTrue();
  }
}
