package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.cache.Caches;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bearer-token auth, open endpoints, and the HTTP limits, over real HTTP on the memory store. */
class HttpSecurityTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String TOKEN = "s3cret-token_0123456789abcdef";
  private static final String LOOKUP =
      "{\"features\":[\"driver_hourly_stats:conv_rate\"],\"entities\":{\"driver_id\":[1001]}}";

  private DemoServer demo;
  private FeatureHttpServer server;
  private String base;
  private int port;

  private void start(ServerOptions options) {
    FeatureStore store = FeatureStores.memory(Demo.repo());
    Demo.load(store);
    demo = DemoServer.start(store, Caches.memory(), "sec-server", options);
    server = demo.server();
    port = demo.port();
    base = demo.base();
  }

  @AfterEach
  void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  record Reply(int status, HttpResponse<String> raw) {
    String body() {
      return raw.body();
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    String error() throws Exception {
      JsonNode j = JSON.readTree(raw.body());
      assertThat(j.isObject() && j.size() == 1 && j.path("error").isTextual())
          .as("{\"error\": \"...\"}, was %s", raw.body())
          .isTrue();
      return j.path("error").asText();
    }
  }

  private Reply send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r);
  }

  @Test
  void withAuth_everyRouteButTheOpenOnesNeedsTheToken_andTheTokenIsNeverEchoed() throws Exception {
    start(ServerOptions.builder().authToken(TOKEN).build());

    Reply none = send("POST", "/get-online-features", LOOKUP);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(none.error()).contains("Bearer");

    Reply wrong =
        send(
            "POST",
            "/get-online-features",
            LOOKUP,
            "Authorization",
            "Bearer " + TOKEN.substring(1) + "x");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.header("WWW-Authenticate")).contains("invalid_token");
    assertThat(wrong.body()).doesNotContain(TOKEN.substring(1));

    assertThat(send("POST", "/get-online-features", LOOKUP, "Authorization", "Basic " + TOKEN))
        .extracting(Reply::status)
        .isEqualTo(401);
    assertThat(send("POST", "/get-online-features", LOOKUP, "Authorization", TOKEN).status())
        .isEqualTo(401);
    // A longer or shorter token differs too (digests are compared, not prefixes).
    assertThat(
            send("POST", "/get-online-features", LOOKUP, "Authorization", "Bearer " + TOKEN + "0")
                .status())
        .isEqualTo(401);

    Reply ok = send("POST", "/get-online-features", LOOKUP, "Authorization", "Bearer " + TOKEN);
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    // The scheme is case-insensitive (RFC 9110 §11.1).
    assertThat(
            send("POST", "/get-online-features", LOOKUP, "Authorization", "bearer " + TOKEN)
                .status())
        .isEqualTo(200);

    // Unauthenticated callers learn nothing about routes: 401 before 404 or 405.
    assertThat(send("POST", "/nope", "{}").status()).isEqualTo(401);
    assertThat(send("GET", "/get-online-features", null).status()).isEqualTo(401);
    assertThat(send("POST", "/infer/driver-risk", "{}").status()).isEqualTo(401);
    assertThat(send("POST", "/push", "{}").status()).isEqualTo(401);
    assertThat(send("POST", "/write-to-online-store", "{}").status()).isEqualTo(401);
    assertThat(send("GET", "/monitor/summary", null).status()).isEqualTo(401);
    assertThat(send("GET", "/metrics", null).status()).isEqualTo(401);
    assertThat(send("GET", "/monitor/summary", null, "Authorization", "Bearer " + TOKEN).status())
        .isEqualTo(200);
    assertThat(send("GET", "/metrics", null, "Authorization", "Bearer " + TOKEN).status())
        .isEqualTo(200);

    // Open by default: the probe endpoint and the static dashboard page (its data is not).
    assertThat(send("GET", "/health", null).status()).isEqualTo(200);
    Reply page = send("GET", "/", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("#token=").doesNotContain(TOKEN);
  }

  @Test
  void openHealthOff_andOpenMetricsOn_moveThoseEndpointsBehindOrOutOfAuth() throws Exception {
    start(ServerOptions.builder().authToken(TOKEN).openHealth(false).openMetrics(true).build());

    assertThat(send("GET", "/health", null).status()).isEqualTo(401);
    assertThat(send("GET", "/health", null, "Authorization", "Bearer " + TOKEN).status())
        .isEqualTo(200);
    assertThat(send("GET", "/metrics", null).status()).isEqualTo(200);
    // Open means GET only.
    assertThat(send("POST", "/metrics", "{}").status()).isEqualTo(401);
  }

  @Test
  void withoutAuth_everythingIsOpen() throws Exception {
    start(ServerOptions.defaults());

    assertThat(send("POST", "/get-online-features", LOOKUP).status()).isEqualTo(200);
    assertThat(send("GET", "/metrics", null).status()).isEqualTo(200);
    // A header is not a credential the server asked for: ignored.
    assertThat(
            send("POST", "/get-online-features", LOOKUP, "Authorization", "Bearer whatever")
                .status())
        .isEqualTo(200);
  }

  @Test
  void tooManyFeatures_is413NamingTheLimit() throws Exception {
    start(ServerOptions.builder().maxFeatures(2).build());
    String three =
        "{\"features\":[\"driver_hourly_stats:conv_rate\",\"driver_hourly_stats:acc_rate\","
            + "\"driver_hourly_stats:avg_daily_trips\"],\"entities\":{\"driver_id\":[1001]}}";

    Reply r = send("POST", "/get-online-features", three);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.error()).contains("too many features: 3 (limit 2)");

    Reply inputs = send("POST", "/infer/driver-risk", "{\"inputs\":[{\"a\":1,\"b\":2,\"c\":3}]}");
    assertThat(inputs.status()).isEqualTo(413);
    assertThat(inputs.error()).contains("limit 2");
  }

  @Test
  void oversizedHeaders_get431_andAnOverlongRequestLine414_asJson() throws Exception {
    start(ServerOptions.builder().maxHeaderBytes(2048).maxInitialLineLength(1024).build());

    Reply headers = send("GET", "/health", null, "X-Pad", "p".repeat(4096));
    assertThat(headers.status()).isEqualTo(431);
    assertThat(headers.error()).contains("headers over 2048 bytes");

    Reply line = send("GET", "/health?pad=" + "q".repeat(2048), null);
    assertThat(line.status()).isEqualTo(414);
    assertThat(line.error()).contains("request line over 1024 bytes");

    // Just under the limits is fine.
    assertThat(send("GET", "/health", null, "X-Pad", "p".repeat(1024)).status()).isEqualTo(200);
    assertThat(send("GET", "/health?pad=" + "q".repeat(512), null).status()).isEqualTo(200);
  }

  @Test
  void requestsOverTheConcurrencyLimit_get429WithRetryAfter() throws Exception {
    start(ServerOptions.builder().maxConcurrentRequests(1).build());
    byte[] body = LOOKUP.getBytes(StandardCharsets.UTF_8);
    try (Socket slow = new Socket("127.0.0.1", port)) {
      // A request whose body is still arriving holds its slot.
      OutputStream out = startSlowLookup(slow, body);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 1);

      Reply rejected = send("POST", "/get-online-features", LOOKUP);
      assertThat(rejected.status()).isEqualTo(429);
      assertThat(rejected.header("Retry-After")).isEqualTo("1");
      assertThat(rejected.error()).contains("limit 1");

      out.write(body, 10, body.length - 10);
      out.flush();
      InputStream in = slow.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(head).isEqualTo("HTTP/1.1 200");
    }
    // The slot is free again once the slow request is answered.
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(send("POST", "/get-online-features", LOOKUP).status()).isEqualTo(200));
  }

  /** A body that stops arriving gets 408 at the body timeout and frees its concurrency slot. */
  @Test
  void slowBody_gets408AtTheBodyTimeout_andFreesItsSlot() throws Exception {
    start(
        ServerOptions.builder()
            .maxConcurrentRequests(1)
            .bodyTimeout(Duration.ofMillis(300))
            .build());
    byte[] body = LOOKUP.getBytes(StandardCharsets.UTF_8);
    try (Socket slow = new Socket("127.0.0.1", port)) {
      slow.setSoTimeout(5_000);
      OutputStream out = startSlowLookup(slow, body);
      long start = System.nanoTime();
      String answer =
          new String(slow.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // until close
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(answer).startsWith("HTTP/1.1 408").contains("\"error\"").contains("300 ms");
      assertThat(took)
          .isGreaterThanOrEqualTo(Duration.ofMillis(250))
          .isLessThan(Duration.ofSeconds(4));
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(send("POST", "/get-online-features", LOOKUP).status()).isEqualTo(200));
  }

  /** A connection that sends nothing is closed after the idle timeout. */
  @Test
  void idleConnection_isClosedAfterTheIdleTimeout() throws Exception {
    start(ServerOptions.builder().idleTimeout(Duration.ofSeconds(1)).build());
    try (Socket idle = new Socket("127.0.0.1", port)) {
      idle.setSoTimeout(10_000);
      long start = System.nanoTime();
      assertThat(idle.getInputStream().read()).as("end of stream").isEqualTo(-1);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took)
          .isGreaterThanOrEqualTo(Duration.ofMillis(900))
          .isLessThan(Duration.ofSeconds(5));
    }
  }

  /**
   * Sends a lookup's headers and the first 10 bytes of {@code body}; the rest is up to the caller.
   */
  private static OutputStream startSlowLookup(Socket socket, byte[] body)
      throws java.io.IOException {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /get-online-features HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(body, 0, 10);
    out.flush();
    return out;
  }

  @Test
  void optionsReject_badTokensAndLimits_withoutEchoingTheToken() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ServerOptions.builder().authToken("short"))
        .hasMessageContaining("at least 16")
        .hasMessageNotContaining("short");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ServerOptions.builder().authToken("has spaces in it, too many"))
        .hasMessageContaining("RFC 6750")
        .hasMessageNotContaining("spaces");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerOptions.builder().maxFeatures(0))
        .hasMessageContaining("maxFeatures");
    assertThat(ServerOptions.builder().authToken(TOKEN).build().toString())
        .doesNotContain(TOKEN)
        .contains("auth=bearer");
  }
}
