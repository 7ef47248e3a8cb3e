package io.inferis.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The route table: which method and path a request names, who may call it without a token, and the
 * label its latency is recorded under. GET routes answer from the request alone; POST routes take a
 * JSON body. Built once at start, then read-only; thread-safe.
 */
final class HttpRoutes {

  /** Who may call a route without the bearer token. */
  enum Access {
    /** Needs the token when auth is on. */
    TOKEN,
    /** Always open (the static dashboard page). */
    OPEN,
    /** Open while {@link ServerOptions#openHealth()}. */
    HEALTH,
    /** Open while {@link ServerOptions#openMetrics()}. */
    METRICS
  }

  /** A GET route's answer. */
  @FunctionalInterface
  interface GetRoute {
    void answer(HttpServerRequest req);
  }

  /**
   * A POST route: its answer's bytes for a parsed JSON body. {@code rest} is the path after the
   * route's prefix (a model name), empty for an exact route; {@code on} runs work on the request's
   * event loop.
   */
  @FunctionalInterface
  interface JsonRoute {
    CompletableFuture<byte[]> answer(String rest, JsonNode body, Executor on);
  }

  /** What a request's method and path name. */
  sealed interface Match permits Get, Post, NoRoute {}

  /** A GET route. */
  record Get(GetRoute route) implements Match {}

  /** A POST route and the rest of the path after its prefix. */
  record Post(JsonRoute route, String rest) implements Match {}

  /** No route: 404, or 405 when the path has a route for another method. */
  record NoRoute(int status) implements Match {}

  private record Entry(@Nullable GetRoute get, Access access, @Nullable JsonRoute post) {}

  private final Map<String, Entry> exact = new LinkedHashMap<>();
  private final Map<String, JsonRoute> postPrefixes = new LinkedHashMap<>();

  /** Adds {@code GET path}. */
  HttpRoutes get(String path, Access access, GetRoute route) {
    Entry e = exact.get(path);
    exact.put(path, new Entry(route, access, e == null ? null : e.post()));
    return this;
  }

  /** Adds {@code POST path}. */
  HttpRoutes post(String path, JsonRoute route) {
    Entry e = exact.get(path);
    exact.put(
        path, new Entry(e == null ? null : e.get(), e == null ? Access.TOKEN : e.access(), route));
    return this;
  }

  /** Adds {@code POST prefix<rest>} for any non-empty rest. */
  HttpRoutes postUnder(String prefix, JsonRoute route) {
    postPrefixes.put(prefix, route);
    return this;
  }

  /** The route {@code method path} names. */
  Match match(HttpMethod method, String path) {
    Entry e = exact.get(path);
    if (method == HttpMethod.GET) {
      if (e != null && e.get() != null) {
        return new Get(e.get());
      }
      return new NoRoute(e != null && e.post() != null ? 405 : 404);
    }
    if (method == HttpMethod.POST) {
      if (e != null && e.post() != null) {
        return new Post(e.post(), "");
      }
      for (Map.Entry<String, JsonRoute> p : postPrefixes.entrySet()) {
        if (path.startsWith(p.getKey()) && path.length() > p.getKey().length()) {
          return new Post(p.getValue(), path.substring(p.getKey().length()));
        }
      }
    }
    return new NoRoute(404);
  }

  /** True if {@code method path} answers without the token under {@code options}. */
  boolean isOpen(HttpMethod method, String path, ServerOptions options) {
    Entry e = exact.get(path);
    if (method != HttpMethod.GET || e == null) {
      return false;
    }
    return switch (e.access()) {
      case OPEN -> true;
      case HEALTH -> options.openHealth();
      case METRICS -> options.openMetrics();
      case TOKEN -> false;
    };
  }

  /**
   * The label a request's latency is recorded under: its route's path (a prefix route's prefix
   * without the trailing slash), or {@code other}. A closed set, so clients cannot mint meters.
   */
  String label(String path) {
    if (exact.containsKey(path)) {
      return path;
    }
    for (String prefix : postPrefixes.keySet()) {
      if (path.startsWith(prefix)) {
        return prefix.substring(0, prefix.length() - 1);
      }
    }
    return "other";
  }
}
