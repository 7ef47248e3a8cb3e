package io.inferis.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The limits a request meets before any route sees it: at most {@link
 * ServerOptions#maxConcurrentRequests()} handled at once (429 with {@code Retry-After} beyond; a
 * request counts from its headers until its answer is sent or its connection closes), a body of at
 * most {@link ServerOptions#maxBodyBytes()} (413, by {@code Content-Length} before reading or as it
 * arrives), and a body that arrives within {@link ServerOptions#bodyTimeout()} (408, and the
 * connection is closed). Thread-safe.
 */
final class RequestLimits {

  private final Vertx vertx;
  private final ServerOptions options;
  private final ErrorResponses errors;
  private final AtomicInteger active = new AtomicInteger();

  RequestLimits(Vertx vertx, ServerOptions options, ErrorResponses errors) {
    this.vertx = vertx;
    this.options = options;
    this.errors = errors;
  }

  /**
   * Counts {@code req} in until its answer is sent (then {@code onEnd} runs) or its connection
   * closes; false, with 429 sent, if that makes one too many.
   */
  boolean admit(HttpServerRequest req, Runnable onEnd) {
    AtomicBoolean released = new AtomicBoolean();
    Runnable release =
        () -> {
          if (released.compareAndSet(false, true)) {
            active.decrementAndGet();
          }
        };
    int now = active.incrementAndGet();
    req.response()
        .endHandler(
            v -> {
              release.run();
              onEnd.run();
            });
    req.response().closeHandler(v -> release.run());
    if (now > options.maxConcurrentRequests()) {
      errors.retryAfter(req);
      errors.send(
          req, 429, "too many requests at once (limit " + options.maxConcurrentRequests() + ")");
      return false;
    }
    return true;
  }

  /** Requests being read or handled now. */
  int active() {
    return active.get();
  }

  /**
   * Reads {@code req}'s body within the limits, then gives it to {@code then}; a body over a limit
   * is answered here and never given.
   */
  void readBody(HttpServerRequest req, Consumer<Buffer> then) {
    int maxBodyBytes = options.maxBodyBytes();
    String length = req.getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBodyBytes) {
          errors.send(req, 413, "request body over " + maxBodyBytes + " bytes");
          return;
        }
      } catch (NumberFormatException e) {
        errors.send(req, 400, "bad Content-Length");
        return;
      }
    }
    Buffer body = Buffer.buffer();
    boolean[] rejected = {false};
    req.handler(
        chunk -> {
          if (rejected[0]) {
            return;
          }
          if (body.length() + chunk.length() > maxBodyBytes) {
            rejected[0] = true;
            errors.send(req, 413, "request body over " + maxBodyBytes + " bytes");
            return;
          }
          body.appendBuffer(chunk);
        });
    // A body still arriving after bodyTimeout holds a concurrency slot for a slow (or malicious)
    // sender: answer 408 and drop the connection. Most bodies come in the read that brought their
    // request's head, so the timer is armed only for one still awaited once the loop has handled
    // this turn's reads: a timer set and cancelled per request cost ~3% of a lookup's CPU.
    long[] timer = {-1};
    if (!req.isEnded()) {
      Vertx.currentContext()
          .runOnContext(
              later -> {
                if (!req.isEnded() && !rejected[0]) {
                  timer[0] =
                      vertx.setTimer(
                          Math.max(1, options.bodyTimeout().toMillis()),
                          id -> bodyTooSlow(req, rejected));
                }
              });
    }
    req.endHandler(
        v -> {
          if (timer[0] >= 0) {
            vertx.cancelTimer(timer[0]);
          }
          if (!rejected[0]) {
            then.accept(body);
          }
        });
  }

  /** Answers 408 and closes the connection, unless the body or an answer came meanwhile. */
  private void bodyTooSlow(HttpServerRequest req, boolean[] rejected) {
    if (!req.isEnded() && !req.response().ended()) {
      rejected[0] = true;
      req.response().putHeader("Connection", "close");
      errors.send(
          req, 408, "request body not received within " + options.bodyTimeout().toMillis() + " ms");
      req.connection().close();
    }
  }
}
