package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.inferis.feast.FeatureValue;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.features.OnlineFeatures;
import io.inferis.redis.RedisOptions;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An HTTP server with a store per event loop ({@link FeatureHttpServer.Builder#storePerLoop}): a
 * loop's requests use its store, whose Redis connector on that loop answers on it; the server
 * closes the stores it made, also when its start fails.
 */
class LoopStoresTest {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  private static final ServerOptions TWO_LOOPS =
      ServerOptions.defaults().toBuilder().eventLoops(2).build();

  private static final String LOOKUP =
      "{\"features\":[\"driver_hourly_stats:conv_rate\"],\"entities\":{\"driver_id\":[1001]}}";

  /** Each loop's store, recording, over the demo's definitions on the loop's connector. */
  private static FeatureHttpServer.Builder recorded(
      FeatureHttpServer.Builder server, List<Recording> made) {
    return server.redisPerLoop(
        redis.get().uri(),
        RedisOptions.defaults(),
        c -> {
          Recording r = new Recording(FeatureStores.redis(Demo.repo(), c));
          made.add(r);
          return r;
        });
  }

  @Test
  void aLoopsRequests_useItsStore_andAreAnsweredOnTheLoopThatReadThem() throws Exception {
    List<Recording> made = new CopyOnWriteArrayList<>();
    Recording shared = new Recording(FeatureStores.redis(Demo.repo(), redis.connector()));
    long clientsBefore = redis.get().connectedClients();
    try (RunningServer server = RunningServer.start(shared, TWO_LOOPS, b -> recorded(b, made))) {
      assertThat(redis.get().connectedClients()).isEqualTo(clientsBefore + 2);
      for (int i = 0; i < 20; i++) {
        // A client of its own each time: a new connection, given to the loops in turn.
        assertThat(post(server.port(), LOOKUP)).as("lookup %d", i).isEqualTo(200);
      }
      assertThat(made).hasSize(2);
      assertThat(shared.lookups).as("no lookup reaches the shared store").hasValue(0);
      Set<Thread> loops = ConcurrentHashMap.newKeySet();
      for (Recording store : made) {
        assertThat(store.lookups).as("both loops read requests").hasPositiveValue();
        assertThat(store.threads).as("one loop's lookups, made and answered").hasSize(1);
        loops.addAll(store.threads);
      }
      assertThat(loops).as("each store on a loop of its own").hasSize(2);
    }
    assertThat(made).allMatch(r -> r.closed.get(), "closed with the server");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(redis.get().connectedClients())
                    .as("their connectors too")
                    .isEqualTo(clientsBefore));
    assertThat(shared.closed).as("the shared store stays its owner's").isFalse();
    shared.close();
  }

  @Test
  void aStoreThatCannotBeMade_failsTheStart_andThoseMadeAreClosed() {
    List<Recording> made = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    long clientsBefore = redis.get().connectedClients();
    Vertx vertx = FeatureHttpServer.newVertx(TWO_LOOPS);
    try (FeatureStore shared = FeatureStores.memory(Demo.repo())) {
      FeatureHttpServer server =
          FeatureHttpServer.builder(vertx, shared)
              .options(TWO_LOOPS)
              .redisPerLoop(
                  redis.get().uri(),
                  RedisOptions.defaults(),
                  c -> {
                    if (calls.incrementAndGet() == 2) {
                      throw new IllegalStateException("no store for the second loop");
                    }
                    Recording r = new Recording(FeatureStores.redis(Demo.repo(), c));
                    made.add(r);
                    return r;
                  })
              .build();
      assertThatThrownBy(() -> server.start("127.0.0.1", 0)).hasMessageContaining("second loop");
      assertThat(made).hasSize(1).allMatch(r -> r.closed.get());
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aPortInUse_failsTheStart_andTheLoopsStoresAreClosed() throws Exception {
    List<Recording> made = new CopyOnWriteArrayList<>();
    long clientsBefore = redis.get().connectedClients();
    Vertx vertx = FeatureHttpServer.newVertx(TWO_LOOPS);
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        FeatureStore shared = FeatureStores.memory(Demo.repo())) {
      FeatureHttpServer server =
          recorded(FeatureHttpServer.builder(vertx, shared).options(TWO_LOOPS), made).build();
      assertThatThrownBy(() -> server.start("127.0.0.1", taken.getLocalPort()))
          .hasMessageContaining("Address already in use");
      assertThat(made).hasSize(2).allMatch(r -> r.closed.get());
      awaitClients(clientsBefore);
    } finally {
      vertx.close().await();
    }
  }

  /** Redis has {@code clients} connections again: the loops' connectors are closed. */
  private static void awaitClients(long clients) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(redis.get().connectedClients()).isEqualTo(clients));
  }

  private static int post(int port, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/get-online-features"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** A store that notes its lookups, the threads they were made and answered on, and its close. */
  private static final class Recording extends ForwardingStore {
    final AtomicInteger lookups = new AtomicInteger();
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    final AtomicBoolean closed = new AtomicBoolean();

    Recording(FeatureStore store) {
      super(store);
    }

    @Override
    protected CompletableFuture<OnlineFeatures> lookup(
        List<String> refs, List<Map<String, FeatureValue>> rows, Duration deadline) {
      lookups.incrementAndGet();
      threads.add(Thread.currentThread());
      return super.lookup(refs, rows, deadline)
          .whenComplete((r, e) -> threads.add(Thread.currentThread()));
    }

    @Override
    public void close() {
      closed.set(true);
      super.close();
    }
  }
}
