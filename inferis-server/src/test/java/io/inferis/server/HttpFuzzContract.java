package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.cache.Caches;
import io.inferis.features.FeatureStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed and hostile requests to every endpoint, from a fixed seed (a failure
 * prints the request, and reruns the same sequence). Every answer must be 2xx or 4xx, never 5xx, a
 * dropped connection or a timeout; every 4xx body is {@code {"error": "..."}}; every write is
 * rejected (the generator makes only invalid writes); and afterwards the stored features read back
 * byte for byte as before.
 */
abstract class HttpFuzzContract {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "fuzz-token-0123456789abcdef";
  private static final int MAX_BODY = 256 * 1024;
  private static final int READ_TIMEOUT_MS = 10_000;

  /** A fresh, empty store over {@link Demo#repo()}. */
  protected abstract FeatureStore newStore();

  /** How many requests to send. */
  protected abstract int requests();

  private DemoServer demo;
  private int port;

  @BeforeEach
  void start() {
    FeatureStore store = newStore();
    Demo.load(store);
    demo =
        DemoServer.start(
            store,
            Caches.memory(),
            "fuzz-server",
            ServerOptions.builder()
                .authToken(TOKEN)
                .maxBodyBytes(MAX_BODY)
                .maxEntities(100)
                .maxFeatures(20)
                .maxHeaderBytes(4096)
                .maxInitialLineLength(2048)
                .build());
    port = demo.port();
  }

  @AfterEach
  void stop() {
    demo.close();
  }

  private static final String VERSION_9 = "raw, HTTP/9.9";

  /** One raw HTTP/1.1 exchange. */
  record Exchange(String label, boolean write, byte[] request) {}

  record Answer(int status, String contentType, byte[] body) {}

  @Test
  void hostileRequests_getOnly2xxOr4xx_withJsonErrors_andLeaveTheStoreUnchanged() throws Exception {
    String before = snapshot();
    Random random = new Random(20_260_707L);
    TreeMap<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < requests(); i++) {
      Exchange x = generate(random);
      Answer a;
      try {
        a = exchange(x.request());
      } catch (IOException e) {
        fail("request " + i + " (" + x.label() + ") got no answer: " + e + "\n" + show(x), e);
        return;
      }
      statuses.merge(a.status(), 1, Integer::sum);
      String what = "request " + i + " (" + x.label() + ") answered " + a.status() + ": ";
      if (x.label().equals(VERSION_9) && a.status() == 501) {
        // Vert.x answers an unknown HTTP version itself, 501 with no body, before any handler
        // (Http1ServerRequestHandler); RFC 9110 gives such requests a 5xx (505) too.
        continue;
      }
      assertThat(a.status())
          .as(what + new String(a.body(), StandardCharsets.UTF_8) + "\n" + show(x))
          .isBetween(200, 499);
      if (x.write()) {
        assertThat(a.status())
            .as(what + "a generated write must be rejected\n" + show(x))
            .isGreaterThanOrEqualTo(400);
      }
      if (a.status() >= 400) {
        assertErrorBody(a, what + "\n" + show(x));
      }
    }
    // Every class of answer was exercised, not just one rejection path.
    assertThat(statuses.keySet()).as(statuses.toString()).contains(200, 400, 401, 404, 413, 422);
    assertThat(snapshot()).as("stored features unchanged").isEqualTo(before);
    String metrics =
        new String(
            exchange(request("GET", "/metrics", auth(), null, null)).body(),
            StandardCharsets.UTF_8);
    assertThat(metrics).as("client-chosen methods mint no meters").doesNotContain("FUZZ");
    assertThat(demo.server().activeRequests()).isZero();
  }

  private static void assertErrorBody(Answer a, String what) {
    assertThat(a.contentType()).as(what).startsWith("application/json");
    JsonNode j;
    try {
      j = JSON.readTree(a.body());
    } catch (IOException e) {
      fail(what + " body is not JSON: " + new String(a.body(), StandardCharsets.UTF_8));
      return;
    }
    assertThat(j.isObject() && j.size() == 1 && j.path("error").isTextual())
        .as(what + " body " + j)
        .isTrue();
    assertThat(j.path("error").asText()).as(what).isNotBlank().doesNotContain(TOKEN);
  }

  /** Every known driver and one unknown, every feature: what the store holds, as served. */
  private String snapshot() throws IOException {
    String lookup =
        "{\"features\":[\"driver_hourly_stats:conv_rate\",\"driver_hourly_stats:acc_rate\","
            + "\"driver_hourly_stats:avg_daily_trips\"],\"entities\":{\"driver_id\":"
            + "[1001,1002,1003,1004,1005,1006,1007,1008,1009,1010,4242]}}";
    Answer a =
        exchange(
            request(
                "POST",
                "/get-online-features",
                auth(),
                "application/json",
                lookup.getBytes(StandardCharsets.UTF_8)));
    assertThat(a.status()).isEqualTo(200);
    return new String(a.body(), StandardCharsets.UTF_8);
  }

  // ---- generation ----------------------------------------------------------------------------

  private static final String[] FEATURES = {
    "driver_hourly_stats:conv_rate",
    "driver_hourly_stats:acc_rate",
    "driver_hourly_stats:avg_daily_trips"
  };

  /** JSON values that are wrong for every column of the demo view, whatever its type. */
  private static final String[] NEVER_VALID = {
    "1e400",
    "-1e400",
    "1208925819614629174706176",
    "-1208925819614629174706176",
    "9223372036854775808",
    "\"*\"",
    "\"?[]*\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "{}",
    "{\"a\":1}",
    "[[1]]",
    "\"" + "x".repeat(5000) + "\"",
  };

  /** JSON values, hostile or not, for places where anything goes. */
  private static final String[] ANY = {
    "0",
    "-0",
    "1.5",
    "1e-400",
    "1e400",
    "-1e400",
    "3.5e38",
    "1208925819614629174706176",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "1e18",
    "-1e18",
    "null",
    "true",
    "false",
    "\"\"",
    "\"1001\"",
    "\"*\"",
    "\"[a-z]*?\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\udbff\\udfff\"",
    "\"\uD83D\uDE00\"",
    "\"2021-13-45T99:99:99Z\"",
    "\"+999999999-12-31T23:59:59Z\"",
    "\"yesterday\"",
    "[]",
    "{}",
    "[null]",
    "[1e400]",
    "{\"\":{}}",
  };

  private static final String[] GLOB_NAMES = {
    "*",
    "?",
    "[",
    "]",
    "[a-z]",
    "driver_*",
    "*:*",
    "driver_hourly_stats:*",
    "\\u0000",
    "a\\u0000b",
    "..",
    "%00",
    "\uD83D\uDE00",
    ""
  };

  private Exchange generate(Random r) {
    int kind = r.nextInt(100);
    if (kind < 4) {
      byte[] raw = rawGarbage(r);
      boolean badVersion =
          new String(raw, StandardCharsets.ISO_8859_1).startsWith("GET / HTTP/9.9");
      return new Exchange(badVersion ? VERSION_9 : "raw", false, raw);
    }
    if (kind < 8) {
      // No token, or a wrong one: 401 whatever the route.
      String[] h = r.nextBoolean() ? new String[0] : new String[] {"Authorization", wrongAuth(r)};
      String path =
          pick(r, "/get-online-features", "/push", "/infer/driver-risk", "/nope", "/metrics");
      return new Exchange(
          "unauthenticated",
          false,
          request("POST", path, h, "application/json", "{}".getBytes(StandardCharsets.UTF_8)));
    }
    if (kind < 14) {
      return getLike(r);
    }
    if (kind < 20) {
      String method = pick(r, "PUT", "DELETE", "PATCH", "OPTIONS", "FUZZ", "GET");
      String path =
          pick(
              r,
              "/get-online-features",
              "/push",
              "/write-to-online-store",
              "/infer/driver-risk",
              "/health",
              "/x");
      return new Exchange(
          "method " + method,
          false,
          request(method, path, auth(), "application/json", "{}".getBytes(StandardCharsets.UTF_8)));
    }
    if (kind < 55) {
      boolean push = r.nextBoolean();
      return new Exchange(
          push ? "push" : "write",
          true,
          request(
              "POST",
              push ? "/push" : "/write-to-online-store",
              auth(),
              contentType(r),
              invalidWrite(r, push)));
    }
    if (kind < 85) {
      return new Exchange(
          "lookup",
          false,
          request(
              "POST",
              "/get-online-features",
              auth(),
              contentType(r),
              hostileRead(r, lookupTemplate(r))));
    }
    String model =
        r.nextInt(4) == 0
            ? pick(r, "ghost", "*", "%00", "..%2F..%2Fetc", "x".repeat(3000), "driver-risk%20")
            : "driver-risk";
    return new Exchange(
        "infer",
        false,
        request(
            "POST", "/infer/" + model, auth(), contentType(r), hostileRead(r, inferTemplate(r))));
  }

  private Exchange getLike(Random r) {
    String path =
        switch (r.nextInt(8)) {
          case 0 ->
              "/monitor/summary?scope="
                  + pick(r, "%zz", "%", "all&scope=server", "*", "%00", "ALL", "x".repeat(1500));
          case 1 ->
              "/monitor/summary?window="
                  + pick(
                      r,
                      "99999999999999999999s",
                      "-1",
                      "0",
                      "1e400",
                      "9999999999999h",
                      "%E0%A4%A",
                      "5m&window=1h",
                      "");
          case 2 -> "/monitor/summary?" + pick(r, "&&&", "=", "scope", "window==", "%", "a=%ff%fe");
          case 3 -> pick(r, "/health", "/metrics", "/", "/monitor/summary");
          case 4 ->
              pick(
                  r,
                  "/health/",
                  "//health",
                  "/HEALTH",
                  "/health?x=1",
                  "/metrics/../health",
                  "/%2e%2e/");
          case 5 -> "/" + "a".repeat(1 + r.nextInt(3000));
          case 6 -> pick(r, "/infer/", "/infer", "/push/x", "/get-online-features/", "/*", "/[a]");
          default -> "/unknown-" + r.nextInt(1000);
        };
    return new Exchange("GET " + abbreviate(path), false, request("GET", path, auth(), null, null));
  }

  private static String lookupTemplate(Random r) {
    StringBuilder f = new StringBuilder();
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      f.append(i == 0 ? "" : ",")
          .append('"')
          .append(FEATURES[r.nextInt(FEATURES.length)])
          .append('"');
    }
    StringBuilder ids = new StringBuilder();
    int rows = 1 + r.nextInt(4);
    for (int i = 0; i < rows; i++) {
      ids.append(i == 0 ? "" : ",").append(1000 + r.nextInt(12));
    }
    return "{\"features\":["
        + f
        + "],\"entities\":{\"driver_id\":["
        + ids
        + "]},\"full_feature_names\":"
        + r.nextBoolean()
        + "}";
  }

  private static String inferTemplate(Random r) {
    return r.nextBoolean()
        ? "{\"entities\":{\"driver_id\":[" + (1000 + r.nextInt(12)) + "]}}"
        : "{\"inputs\":[{\"driver_hourly_stats:conv_rate\":0.5,\"driver_hourly_stats:acc_rate\":0.1,\"driver_hourly_stats:avg_daily_trips\":3}]}";
  }

  /** A read body: the template, or the template damaged in one of many ways. */
  private byte[] hostileRead(Random r, String template) {
    String body =
        switch (r.nextInt(14)) {
          case 0 -> template;
          case 1 -> replaceValue(r, template, ANY[r.nextInt(ANY.length)]);
          case 2 ->
              template.replace(
                  FEATURES[r.nextInt(3)], pick(r, GLOB_NAMES) + ":" + pick(r, GLOB_NAMES));
          case 3 -> template.replace("driver_id", pick(r, GLOB_NAMES));
          case 4 -> "[".repeat(10_000) + "]".repeat(r.nextBoolean() ? 10_000 : 0);
          case 5 ->
              "{\"features\":"
                  + "[".repeat(60)
                  + "\""
                  + FEATURES[0]
                  + "\""
                  + "]".repeat(60)
                  + ",\"entities\":{\"driver_id\":[1001]}}";
          case 6 -> manyEntities(r);
          case 7 -> manyFeatures(r);
          case 8 -> template.substring(0, r.nextInt(template.length()));
          case 9 -> template.replaceFirst("\\{", "{\"features\":[\"x:y\"],\"entities\":{},");
          case 10 -> "";
          case 11 ->
              "{\"features\":[\""
                  + "f".repeat(MAX_BODY / 2)
                  + "\"],\"entities\":{\"driver_id\":[1001]}}";
          case 12 ->
              pick(
                  r,
                  "null",
                  "1",
                  "\"s\"",
                  "[]",
                  "true",
                  "{}",
                  "{\"entities\":null,\"features\":null}");
          default -> mutateBytes(r, template);
        };
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return r.nextInt(10) == 0 ? injectInvalidUtf8(r, bytes) : bytes;
  }

  private static String manyEntities(Random r) {
    StringBuilder ids = new StringBuilder();
    int n = 90 + r.nextInt(40);
    for (int i = 0; i < n; i++) {
      ids.append(i == 0 ? "" : ",").append(1001 + i);
    }
    return "{\"features\":[\"" + FEATURES[0] + "\"],\"entities\":{\"driver_id\":[" + ids + "]}}";
  }

  private static String manyFeatures(Random r) {
    StringBuilder f = new StringBuilder();
    int n = 15 + r.nextInt(10);
    for (int i = 0; i < n; i++) {
      f.append(i == 0 ? "" : ",").append('"').append(FEATURES[i % 3]).append('"');
    }
    return "{\"features\":[" + f + "],\"entities\":{\"driver_id\":[1001]}}";
  }

  /**
   * A write that is invalid by construction: each defect below makes it a request the server must
   * reject. (Its valid base would be a no-op anyway: its event time is older than the stored rows.)
   */
  private byte[] invalidWrite(Random r, boolean push) {
    String[] cols = {"driver_id", "conv_rate", "acc_rate", "avg_daily_trips", "event_timestamp"};
    String[] vals = {"1001", "0.5", "0.25", "3", "\"2000-01-01T00:00:00Z\""};
    String name = "\"driver_hourly_stats\"";
    String to = "\"online\"";
    int defect = r.nextInt(12);
    switch (defect) {
      case 0 -> vals[0] = pick(r, NEVER_VALID);
      case 1 ->
          vals[1 + r.nextInt(2)] =
              pick(r, "1e400", "-1e400", "3.5e38", "-3.5e38", "\"0.5\"", "true", "{}", "[0.5]");
      case 2 ->
          vals[3] =
              pick(
                  r,
                  "1.5",
                  "1e400",
                  "1208925819614629174706176",
                  "9223372036854775808",
                  "\"3\"",
                  "true",
                  "[3]");
      case 3 ->
          vals[4] =
              pick(
                  r,
                  "\"yesterday\"",
                  "1e400",
                  "-1e400",
                  "1e300",
                  "-1e300",
                  "1e18",
                  "\"2021-13-45T00:00:00Z\"",
                  "{}",
                  "[]",
                  "true",
                  "null",
                  "\"\\u0000\"",
                  "\"+999999999-01-01T00:00:00Z\"",
                  "\"" + "9".repeat(60) + "\"");
      case 4 -> name = "\"" + pick(r, GLOB_NAMES) + "\"";
      case 5 -> name = pick(r, "null", "1", "[]", "{}", "\"" + "v".repeat(20_000) + "\"");
      case 6 -> to = pick(r, "\"offline\"", "\"*\"", "\"\"", "\"ONLINE\"", "1");
      default -> {}
    }
    StringBuilder df = new StringBuilder("{");
    for (int i = 0; i < cols.length; i++) {
      df.append(i == 0 ? "" : ",")
          .append('"')
          .append(cols[i])
          .append("\":[")
          .append(vals[i])
          .append(']');
    }
    df.append('}');
    if (defect == 7) {
      // Unequal column lengths.
      df.insert(df.indexOf("]"), ",1002");
    }
    String nameField = push ? "push_source_name" : "feature_view_name";
    String body =
        "{\"" + nameField + "\":" + name + (push ? ",\"to\":" + to : "") + ",\"df\":" + df + "}";
    if (defect == 6 && !push) {
      body =
          body.replace(
              "\"df\":",
              "\"df\":"
                  + pick(r, "null", "[]", "1", "{}", "{\"driver_id\":1001}")
                  + ",\"ignored\":");
    }
    if (defect == 8) {
      // Duplicate keys: the last one wins, and it is invalid.
      body =
          body.substring(0, body.length() - 1)
              + ",\"df\":"
              + pick(r, "null", "[]", "{}", "\"df\"", "{\"driver_id\":[1001]}")
              + "}";
    }
    if (defect == 9) {
      body = body.substring(0, r.nextInt(body.length() - 1));
    }
    if (defect == 10) {
      body = "{\"" + nameField + "\":" + name + ",\"df\":" + "[".repeat(10_000);
    }
    if (defect == 11) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      return r.nextBoolean() ? injectInvalidUtf8(r, bytes) : injectNul(r, bytes);
    }
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private static String replaceValue(Random r, String template, String value) {
    // Replaces one scalar value (a number, true/false, or a string) with `value`.
    List<int[]> spans = new ArrayList<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?|true|false|\"[^\"]*\"").matcher(template);
    while (m.find()) {
      spans.add(new int[] {m.start(), m.end()});
    }
    int[] s = spans.get(r.nextInt(spans.size()));
    return template.substring(0, s[0]) + value + template.substring(s[1]);
  }

  private static String mutateBytes(Random r, String template) {
    char[] c = template.toCharArray();
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      c[r.nextInt(c.length)] = "{}[]\",:0123456789.-e\\ *?tfn".charAt(r.nextInt(27));
    }
    return new String(c);
  }

  private static byte[] injectInvalidUtf8(Random r, byte[] body) {
    byte[][] bad = {
      {(byte) 0xff},
      {(byte) 0xc0, (byte) 0x80},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0xe2, (byte) 0x82},
      {(byte) 0x80}
    };
    return inject(r, body, bad[r.nextInt(bad.length)]);
  }

  private static byte[] injectNul(Random r, byte[] body) {
    return inject(r, body, new byte[] {0});
  }

  /** Puts {@code extra} inside the body, before its last byte so the JSON cannot stay valid. */
  private static byte[] inject(Random r, byte[] body, byte[] extra) {
    int at = body.length == 0 ? 0 : r.nextInt(body.length);
    byte[] out = new byte[body.length + extra.length];
    System.arraycopy(body, 0, out, 0, at);
    System.arraycopy(extra, 0, out, at, extra.length);
    System.arraycopy(body, at, out, at + extra.length, body.length - at);
    return out;
  }

  private static String contentType(Random r) {
    return r.nextInt(5) != 0
        ? "application/json"
        : pick(
            r,
            null,
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json; charset=latin1",
            "*/*");
  }

  private static String wrongAuth(Random r) {
    return pick(
        r,
        "Bearer",
        "Bearer ",
        "Bearer wrong",
        "Basic " + TOKEN,
        TOKEN,
        "Bearer " + TOKEN + TOKEN,
        "Bearer " + TOKEN.substring(1),
        "Bearer \u00e9" + TOKEN);
  }

  private byte[] rawGarbage(Random r) {
    String line =
        pick(
            r,
            "GET / HTTP/9.9\r\n",
            "GET /health\r\n",
            "GET /\u0000 HTTP/1.1\r\n",
            "\r\n\r\nGET /health HTTP/1.1\r\n",
            "GET " + "/x".repeat(2000) + " HTTP/1.1\r\n",
            "POST /push HTTP/1.1\r\nContent-Length: abc\r\n",
            "POST /push HTTP/1.1\r\nContent-Length: -1\r\n",
            "POST /push HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n",
            "POST /push HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n",
            "POST /push HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "GET /health HTTP/1.1\r\nX-Pad: " + "p".repeat(5000) + "\r\n",
            "GET /health HTTP/1.1\r\nBad Header Name: x\r\n",
            "G\u00e9T /health HTTP/1.1\r\n");
    String req =
        line + "Host: fuzz\r\nAuthorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n";
    return req.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String[] auth() {
    return new String[] {"Authorization", "Bearer " + TOKEN};
  }

  private static byte[] request(
      String method, String path, String[] headers, String contentType, byte[] body) {
    StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    head.append("Host: fuzz\r\nConnection: close\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
    if (body == null) {
      return h;
    }
    byte[] out = new byte[h.length + body.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(body, 0, out, h.length, body.length);
    return out;
  }

  /** Sends one request on a new connection and reads the answer to the end of the stream. */
  private Answer exchange(byte[] request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(READ_TIMEOUT_MS);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // The server may answer and close before reading all of a rejected body.
      }
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return parse(all.toByteArray());
    }
  }

  private static Answer parse(byte[] raw) throws IOException {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.matches("(?s)HTTP/\\d\\.\\d \\d{3}.*") || end < 0) {
      throw new IOException("not an HTTP response: '" + abbreviate(text) + "'");
    }
    int status = Integer.parseInt(text.substring(9, 12));
    String contentType = "";
    for (String line : text.substring(0, end).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
        contentType = line.substring(13).trim();
      }
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    return new Answer(status, contentType, body);
  }

  private static String show(Exchange x) {
    return abbreviate(new String(x.request(), StandardCharsets.ISO_8859_1));
  }

  private static String abbreviate(String s) {
    return s.length() <= 600 ? s : s.substring(0, 600) + "...(" + s.length() + " chars)";
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... options) {
    return options[r.nextInt(options.length)];
  }
}
