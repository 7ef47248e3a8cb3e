package io.inferis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.testing.JavaProcess;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code serve --[no-]redis-per-loop} on Redis: a connection per node for each HTTP event loop plus
 * the shared one, or the shared one alone; lookups answer the same either way, and on every
 * transport ({@code --transport}).
 */
class RedisPerLoopServeTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  private static final String LOOKUP =
      "{\"features\":[\"driver_hourly_stats:conv_rate\"],\"entities\":{\"driver_id\":[1001]}}";

  @ParameterizedTest(name = "a connector per loop: {0}")
  @ValueSource(booleans = {true, false})
  void connectionsPerNode_followTheFlag_andLookupsAnswer(boolean perLoop) throws Exception {
    servesOn(perLoop, "auto");
  }

  /** Each transport the machine has, per loop (io_uring is the default where available). */
  @ParameterizedTest(name = "--transport {0}")
  @ValueSource(strings = {"epoll", "nio"})
  void everyTransport_servesPerLoop(String transport) throws Exception {
    servesOn(true, transport);
  }

  /** What {@code --transport auto} picks here. */
  private static String best() {
    return IoUring.isAvailable() ? "io_uring" : Epoll.isAvailable() ? "epoll" : "nio";
  }

  private static void servesOn(boolean perLoop, String transport) throws Exception {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--demo",
                "--redis",
                redis.get().uri(),
                "--event-loops",
                "2",
                "--transport",
                transport));
    flags.add(perLoop ? "--redis-per-loop" : "--no-redis-per-loop");
    JavaProcess server =
        JavaProcess.start(Main.class, ServeBanner.serveOnFreePorts(flags.toArray(String[]::new)));
    try {
      String base =
          ServeBanner.baseUrl(server.awaitLine(ServeBanner.PREFIX, Duration.ofSeconds(60)));
      String network = server.awaitLine("network: ", Duration.ofSeconds(10));
      assertThat(network)
          .startsWith("network: " + (transport.equals("auto") ? best() : transport) + " ");
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < 4; i++) {
        HttpResponse<String> answer =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(base + "/get-online-features"))
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(LOOKUP))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"PRESENT\"");
      }
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      String node = "inferis_redis_connections{node=\"127.0.0.1:" + redis.get().port() + "\"} ";
      assertThat(metrics).contains(node + (perLoop ? "3.0" : "1.0"));
    } finally {
      server.close();
    }
  }
}
