package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The requests the HTTP fuzz run found mishandled, each pinned with the answer it must get. */
class HostileInputRegressionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private FeatureStore store;
  private RunningServer server;
  private int port;

  @BeforeEach
  void start() {
    store = FeatureStores.memory(Demo.repo());
    Demo.load(store);
    server = RunningServer.start(store, ServerOptions.defaults());
    port = server.port();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private record Answer(int status, String error) {}

  private Answer post(String path, byte[] body) throws Exception {
    return send(port, "POST", path, body);
  }

  private static Answer send(int port, String method, String path, byte[] body) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              (method
                      + " "
                      + path
                      + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
                      + body.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(body);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      s.getInputStream().transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      String json = text.substring(text.indexOf("\r\n\r\n") + 4);
      return new Answer(
          Integer.parseInt(text.substring(9, 12)),
          json.startsWith("{") ? JSON.readTree(json).path("error").asText() : json);
    }
  }

  private Answer push(String column, String value) throws Exception {
    String df =
        "{\"driver_id\":[1001],\"conv_rate\":[0.5],\"acc_rate\":[0.5],\"avg_daily_trips\":[1],"
            + "\"event_timestamp\":[\"2100-01-01T00:00:00Z\"]}";
    df = df.replaceFirst("\"" + column + "\":\\[[^\\]]*\\]", "\"" + column + "\":[" + value + "]");
    return post(
        "/push",
        ("{\"push_source_name\":\"driver_hourly_stats\",\"df\":" + df + "}")
            .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void float32Overflow_isRejected_notStoredAsInfinityThatLaterReadsFailOn() throws Exception {
    assertThat(push("acc_rate", "3.5e38"))
        .isEqualTo(new Answer(422, "df.acc_rate[0]: 3.5E38 is outside the range of a Float32"));
    assertThat(push("conv_rate", "1e400").status()).isEqualTo(422);
    assertThat(push("conv_rate", "-1e400").error()).contains("outside the range");
  }

  @Test
  void epochSecondsBeyondYear9999_are422_notA500FromInstant() throws Exception {
    for (String t : new String[] {"1e18", "-1e18", "1e400", "\"" + "9".repeat(40) + "\""}) {
      Answer a = push("event_timestamp", t);
      assertThat(a.status()).as(t + ": " + a.error()).isEqualTo(422);
      assertThat(a.error()).contains("years 1 to 9999");
    }
    assertThat(push("event_timestamp", "\"+999999999-01-01T00:00:00Z\"").error())
        .contains("years 1 to 9999");
  }

  @Test
  void invalidUtf8_evenAnOverlongNulJacksonAccepts_is400() throws Exception {
    byte[] body =
        "{\"push_source_name\":\"driver_hourly_stats\",\"df\":{\"acc_XXrate\":[1]}}"
            .getBytes(StandardCharsets.UTF_8);
    int at = new String(body, StandardCharsets.ISO_8859_1).indexOf("XX");
    body[at] = (byte) 0xc0;
    body[at + 1] = (byte) 0x80;
    assertThat(post("/push", body))
        .isEqualTo(new Answer(400, "the request body is not valid UTF-8"));
  }

  @Test
  void badPercentEncodingInTheSummaryQuery_is400() throws Exception {
    FeatureStore s = FeatureStores.memory(Demo.repo());
    io.inferis.cache.Cache cache = io.inferis.cache.Caches.memory();
    io.inferis.monitoring.Monitor monitor =
        io.inferis.monitoring.Monitoring.start(
            cache, io.inferis.monitoring.MonitoringOptions.builder().serverId("r").build());
    RunningServer withMonitoring =
        RunningServer.start(s, ServerOptions.defaults(), b -> b.monitoring(monitor));
    try {
      int p = withMonitoring.port();
      Answer a = send(p, "GET", "/monitor/summary?scope=%zz", new byte[0]);
      assertThat(a).isEqualTo(new Answer(400, "malformed query string"));
      assertThat(send(p, "GET", "/monitor/summary?window=%E0%A4%A", new byte[0]).status())
          .isEqualTo(400);
    } finally {
      withMonitoring.close();
      monitor.close();
      cache.close();
      s.close();
    }
  }
}
