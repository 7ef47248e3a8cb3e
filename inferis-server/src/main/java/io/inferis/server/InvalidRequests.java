package io.inferis.server;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests the HTTP decoder could not read: 414 for a request line over {@link
 * ServerOptions#maxInitialLineLength()}, 431 for headers over {@link
 * ServerOptions#maxHeaderBytes()}, 400 otherwise, each with an error body; the connection is closed
 * afterwards, since its framing can no longer be trusted. The one class of the server that sees
 * Netty: Vert.x reports the failure as Netty's {@link DecoderResult}. Thread-safe.
 */
final class InvalidRequests {

  private final ServerOptions options;
  private final ErrorResponses errors;

  InvalidRequests(ServerOptions options, ErrorResponses errors) {
    this.options = options;
    this.errors = errors;
  }

  void answer(HttpServerRequest req) {
    DecoderResult result = req.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    int status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "request line over " + options.maxInitialLineLength() + " bytes";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "request headers over " + options.maxHeaderBytes() + " bytes";
    } else {
      status = 400;
      message = "malformed HTTP request";
    }
    req.response().putHeader("Connection", "close");
    errors.send(req, status, message);
    req.connection().close();
  }
}
