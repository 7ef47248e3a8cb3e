package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.inferis.cache.Caches;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard rendered by a real headless Chromium: after a few /infer calls the rendered DOM
 * shows the demo model's numbers. A screenshot is kept at target/dashboard.png.
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

    FeatureStore store = FeatureStores.memory(Demo.repo());
    Demo.load(store);
    try (DemoServer demo =
        DemoServer.start(store, Caches.memory(), "dash-server", ServerOptions.defaults())) {
      String base = demo.base();
      inferThreeTimes(demo, null);

      String dom = runChromium(chromium, "--dump-dom", base + "/");
      assertThat(dom)
          .contains("data-model=\"driver-risk\"")
          .contains("<td>3</td>")
          .contains("dash-server");

      Path shot = Path.of("target", "dashboard.png").toAbsolutePath();
      Files.createDirectories(shot.getParent());
      runChromium(chromium, "--window-size=1100,420", "--screenshot=" + shot, base + "/");
      assertThat(Files.size(shot)).isPositive();
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
    FeatureStore store = FeatureStores.memory(Demo.repo());
    Demo.load(store);
    try (DemoServer demo =
        DemoServer.start(
            store,
            Caches.memory(),
            "dash-auth-server",
            ServerOptions.builder().authToken(token).build())) {
      inferThreeTimes(demo, token);
      assertThat(runChromium(chromium, "--dump-dom", demo.base() + "/#token=" + token))
          .contains("data-model=\"driver-risk\"")
          .contains("<td>3</td>")
          .contains("dash-auth-server");
      assertThat(runChromium(chromium, "--dump-dom", demo.base() + "/"))
          .contains("summary unavailable: HTTP 401")
          .doesNotContain("data-model=");
    }
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
