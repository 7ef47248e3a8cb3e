package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.feast.FeatureValue;
import io.inferis.features.DeadlineExceededException;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.features.InvalidRequestException;
import io.inferis.features.OnlineFeatures;
import io.inferis.features.OverloadedException;
import io.inferis.features.UnknownFeatureException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * How failures become answers: the store's typed failures map to their statuses, and an exception
 * of any other type, an {@link IllegalArgumentException} included, is the server's fault: 500 with
 * an error id that the log carries with the stack trace.
 */
class ErrorMappingTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String LOOKUP =
      "{\"features\":[\"driver_hourly_stats:conv_rate\"],\"entities\":{\"driver_id\":[1001]}}";

  private final FailingStore store = new FailingStore(FeatureStores.memory(Demo.repo()));
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private RunningServer server;

  @BeforeEach
  void start() {
    server = RunningServer.start(store, ServerOptions.defaults());
    log.start();
    ((Logger) LoggerFactory.getLogger(ErrorResponses.class)).addAppender(log);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(ErrorResponses.class)).detachAppender(log);
    server.close();
    store.close();
  }

  @ParameterizedTest
  @CsvSource({
    "unknown, 404",
    "invalid, 422",
    "overloaded, 503",
    "deadline, 504",
  })
  void typedFailuresOfTheStore_mapToTheirStatuses(String failure, int status) throws Exception {
    store.failWith =
        switch (failure) {
          case "unknown" -> () -> new UnknownFeatureException("no view 'x'");
          case "invalid" -> () -> new InvalidRequestException("row 0 has no 'driver_id'");
          case "overloaded" -> () -> new OverloadedException("in-flight limit 1 is full");
          default ->
              () ->
                  new DeadlineExceededException(
                      "deadline passed", new IllegalStateException("cause"));
        };

    HttpResponse<String> r = lookup();

    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(error(r)).isEqualTo(store.failWith.get().getMessage());
    assertThat(r.headers().firstValue("Retry-After").isPresent()).isEqualTo(status == 503);
    assertThat(log.list).isEmpty();
  }

  @Test
  void anIllegalArgumentFromInferisItself_is500WithAnId_loggedWithTheStack() throws Exception {
    store.failWith = () -> new IllegalArgumentException("a bug in inferis, not the client");

    HttpResponse<String> r = lookup();

    assertThat(r.statusCode()).isEqualTo(500);
    String error = error(r);
    assertThat(error).startsWith("internal error IllegalArgumentException (error id ");
    assertThat(error).doesNotContain("a bug in inferis");
    String id = error.substring(error.indexOf("error id ") + 9, error.length() - 1);
    assertThat(log.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getFormattedMessage()).contains(id);
              assertThat(e.getThrowableProxy().getMessage())
                  .isEqualTo("a bug in inferis, not the client");
            });
  }

  private HttpResponse<String> lookup() throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.base() + "/get-online-features"))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(LOOKUP))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String error(HttpResponse<String> r) throws Exception {
    return new ObjectMapper().readTree(r.body()).path("error").asText();
  }

  /** The memory store, whose lookups fail as the test says. */
  private static final class FailingStore extends ForwardingStore {
    volatile Supplier<RuntimeException> failWith;

    FailingStore(FeatureStore inner) {
      super(inner);
    }

    @Override
    protected CompletableFuture<OnlineFeatures> lookup(
        List<String> featureRefs, List<Map<String, FeatureValue>> entityRows, Duration deadline) {
      return CompletableFuture.failedFuture(failWith.get());
    }
  }
}
