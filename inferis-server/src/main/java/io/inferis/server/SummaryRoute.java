package io.inferis.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.monitoring.MonitoringQuery;
import io.inferis.monitoring.Scope;
import io.inferis.server.feast.ClientError;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /monitor/summary[?scope=server|all][&window=90s|5m|1h|seconds]}: the monitoring
 * summary of this server or of all, over the window asked for or {@link
 * ServerOptions#summaryWindow()}. It reads Redis, so it runs off the event loop. Thread-safe.
 */
final class SummaryRoute {

  private final Vertx vertx;
  private final MonitoringQuery monitoring;
  private final Duration defaultWindow;
  private final ObjectMapper json;
  private final ErrorResponses errors;

  SummaryRoute(
      Vertx vertx,
      MonitoringQuery monitoring,
      Duration defaultWindow,
      ObjectMapper json,
      ErrorResponses errors) {
    this.vertx = vertx;
    this.monitoring = monitoring;
    this.defaultWindow = defaultWindow;
    this.json = json;
    this.errors = errors;
  }

  void answer(HttpServerRequest req) {
    Scope scope;
    Duration window;
    try {
      String s = query(req, "scope", "server");
      scope = scope(s == null ? "server" : s);
      String w = query(req, "window", null);
      window = w == null ? defaultWindow : parseWindow(w);
    } catch (ClientError e) {
      errors.fail(req, e);
      return;
    }
    Context ctx = Vertx.currentContext();
    vertx
        .executeBlocking(() -> json.writeValueAsBytes(monitoring.summary(scope, window)))
        .onComplete(
            ar ->
                ctx.runOnContext(
                    x -> {
                      if (ar.succeeded()) {
                        req.response()
                            .setStatusCode(200)
                            .putHeader("Content-Type", "application/json")
                            .end(Buffer.buffer(ar.result()));
                      } else {
                        errors.fail(req, ar.cause());
                      }
                    }));
  }

  private static @Nullable String query(
      HttpServerRequest req, String name, @Nullable String orElse) {
    try {
      String v = req.getParam(name);
      return v == null ? orElse : v;
    } catch (IllegalArgumentException e) {
      // Vert.x decodes the query lazily and throws on bad percent-encoding.
      throw ClientError.malformed("malformed query string");
    }
  }

  private static Scope scope(String s) {
    return switch (s) {
      case "server" -> Scope.SERVER;
      case "all" -> Scope.ALL;
      default -> throw ClientError.malformed("scope must be server or all, was '" + s + "'");
    };
  }

  /** {@code 90s}, {@code 5m}, {@code 1h} or seconds; between 1 s and 1 day. */
  static Duration parseWindow(String w) {
    Duration d = null;
    try {
      if (w.matches("\\d{1,9}")) {
        d = Duration.ofSeconds(Long.parseLong(w));
      } else if (w.matches("\\d{1,9}[smh]")) {
        long v = Long.parseLong(w.substring(0, w.length() - 1));
        char unit = w.charAt(w.length() - 1);
        d =
            unit == 's'
                ? Duration.ofSeconds(v)
                : unit == 'm' ? Duration.ofMinutes(v) : Duration.ofHours(v);
      }
    } catch (NumberFormatException | ArithmeticException e) {
      d = null;
    }
    if (d == null
        || d.compareTo(Duration.ofSeconds(1)) < 0
        || d.compareTo(Duration.ofDays(1)) > 0) {
      throw ClientError.malformed(
          "window must be like 90s, 5m or 1h (1 s to 1 day), was '" + w + "'");
    }
    return d;
  }
}
