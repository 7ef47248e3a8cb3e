package io.inferis.server;

import io.inferis.server.feast.JsonBody;
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
   * A POST route: its answer's bytes for a JSON body. {@code rest} is the path after the route's
   * prefix (a model name), empty for an exact route; {@code on} runs work on the request's event
   * loop.
   */
  @FunctionalInterface
  interface JsonRoute {
    CompletableFuture<byte[]> answer(String rest, JsonBody body, Executor on);
  }

  /**
   * What a request's method and path name, with the label its latency is recorded under (its
   * route's path, a prefix route's prefix without the trailing slash, or {@code other}: a closed
   * set, so clients cannot mint meters) and whether it answers without the token.
   */
  sealed interface Match permits Get, Post, NoRoute {
    String label();

    boolean open();
  }

  /** A GET route. */
  record Get(GetRoute route, String label, boolean open) implements Match {}

  /** A POST route and the rest of the path after its prefix. */
  record Post(JsonRoute route, String rest, String label) implements Match {
    @Override
    public boolean open() {
      return false;
    }
  }

  /** No route: 404, or 405 when the path has a route for another method. */
  record NoRoute(int status, String label) implements Match {
    @Override
    public boolean open() {
      return false;
    }
  }

  private static final NoRoute NOWHERE = new NoRoute(404, "other");

  /** A path's routes, and the matches they give, made once at start. */
  private record Entry(
      @Nullable GetRoute get,
      Access access,
      @Nullable JsonRoute post,
      Match onGet,
      Match onPost,
      Match onOther) {}

  private final ServerOptions options;
  private final Map<String, Entry> exact = new LinkedHashMap<>();
  private final Map<String, JsonRoute> postPrefixes = new LinkedHashMap<>();

  HttpRoutes(ServerOptions options) {
    this.options = options;
  }

  private Entry entry(
      String path, @Nullable GetRoute get, Access access, @Nullable JsonRoute post) {
    boolean open =
        switch (access) {
          case OPEN -> true;
          case HEALTH -> options.openHealth();
          case METRICS -> options.openMetrics();
          case TOKEN -> false;
        };
    Match onGet =
        get != null ? new Get(get, path, open) : new NoRoute(post != null ? 405 : 404, path);
    Match onPost = post != null ? new Post(post, "", path) : new NoRoute(404, path);
    return new Entry(get, access, post, onGet, onPost, new NoRoute(404, path));
  }

  /** Adds {@code GET path}. */
  HttpRoutes get(String path, Access access, GetRoute route) {
    Entry e = exact.get(path);
    exact.put(path, entry(path, route, access, e == null ? null : e.post()));
    return this;
  }

  /** Adds {@code POST path}. */
  HttpRoutes post(String path, JsonRoute route) {
    Entry e = exact.get(path);
    exact.put(
        path,
        entry(path, e == null ? null : e.get(), e == null ? Access.TOKEN : e.access(), route));
    return this;
  }

  /** Adds {@code POST prefix<rest>} for any non-empty rest. */
  HttpRoutes postUnder(String prefix, JsonRoute route) {
    postPrefixes.put(prefix, route);
    return this;
  }

  /** The route {@code method path} names: one map lookup, no allocation for exact routes. */
  Match match(HttpMethod method, String path) {
    Entry e = exact.get(path);
    if (e != null) {
      return method == HttpMethod.GET
          ? e.onGet()
          : method == HttpMethod.POST ? e.onPost() : e.onOther();
    }
    for (Map.Entry<String, JsonRoute> p : postPrefixes.entrySet()) {
      String prefix = p.getKey();
      if (path.startsWith(prefix)) {
        String label = prefix.substring(0, prefix.length() - 1);
        return method == HttpMethod.POST && path.length() > prefix.length()
            ? new Post(p.getValue(), path.substring(prefix.length()), label)
            : new NoRoute(404, label);
      }
    }
    return NOWHERE;
  }
}
