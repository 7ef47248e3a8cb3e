package io.inferis.server;

import io.vertx.core.http.HttpServerRequest;

/**
 * Bearer-token authentication ({@link ServerOptions#authRequired()}): a request to a route that is
 * not open must carry {@code Authorization: Bearer <token>}, else it gets 401 with a {@code
 * WWW-Authenticate} challenge. The header's value is never echoed or logged. Thread-safe.
 */
final class BearerAuth {

  private final ServerOptions options;
  private final ErrorResponses errors;

  BearerAuth(ServerOptions options, ErrorResponses errors) {
    this.options = options;
    this.errors = errors;
  }

  /** True if {@code req} may proceed to a route that {@code open} says needs no token or not. */
  boolean admit(HttpServerRequest req, boolean open) {
    if (!options.authRequired() || open) {
      return true;
    }
    String header = req.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      req.response().putHeader("WWW-Authenticate", "Bearer realm=\"inferis\"");
      errors.send(req, 401, "this server needs 'Authorization: Bearer <token>'");
      return false;
    }
    if (!options.tokenMatches(header.substring(7).trim())) {
      req.response()
          .putHeader("WWW-Authenticate", "Bearer realm=\"inferis\", error=\"invalid_token\"");
      errors.send(req, 401, "the bearer token is not valid");
      return false;
    }
    return true;
  }
}
