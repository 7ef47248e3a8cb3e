package io.inferis.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.features.DeadlineExceededException;
import io.inferis.features.InvalidRequestException;
import io.inferis.features.OverloadedException;
import io.inferis.features.UnknownFeatureException;
import io.inferis.redis.RedisUnavailableException;
import io.inferis.server.feast.ClientError;
import io.vertx.core.http.HttpServerRequest;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error answer of the HTTP server: a status and {@code {"error": "..."}}. The mapping from
 * failures to statuses, in one place:
 *
 * <ul>
 *   <li>{@link ClientError}: its kind's status (400, 404, 413, 422);
 *   <li>{@link UnknownFeatureException} 404, {@link InvalidRequestException} 422: the store refused
 *       the request's arguments;
 *   <li>{@link OverloadedException} and {@link RedisUnavailableException} 503 with {@code
 *       Retry-After: 1}; {@link DeadlineExceededException} 504;
 *   <li>anything else is the server's fault: 500 with an id, logged with its stack under that id.
 *       An {@link IllegalArgumentException} is one: inferis's own code threw it, the client did not
 *       cause it.
 * </ul>
 *
 * <p>When serving a Feast repository, a mistake Feast answers with an exception of its own (an
 * unknown feature view, feature service or push source) gets Feast's body instead: a JSON string
 * holding {@code {"module": "feast.errors", "class": ..., "message": ...}}, from which Feast's SDK
 * raises that same exception. Thread-safe.
 */
final class ErrorResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean feastBodies;

  /** {@code feastBodies}: answer Feast's own errors in Feast's shape. */
  ErrorResponses(boolean feastBodies) {
    this.feastBodies = feastBodies;
  }

  /** Answers {@code req} with the status and message {@code failure} maps to. */
  void fail(HttpServerRequest req, Throwable failure) {
    Throwable e =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (e instanceof ClientError c) {
      if (feastBodies && c.feastClass() != null) {
        sendFeast(req, c.kind().httpStatus(), c.feastClass(), c.getMessage());
      } else {
        send(req, c.kind().httpStatus(), c.getMessage());
      }
    } else if (e instanceof UnknownFeatureException) {
      send(req, 404, e.getMessage());
    } else if (e instanceof InvalidRequestException) {
      send(req, 422, e.getMessage());
    } else if (e instanceof DeadlineExceededException) {
      send(req, 504, e.getMessage());
    } else if (e instanceof OverloadedException || e instanceof RedisUnavailableException) {
      retryAfter(req);
      send(req, 503, e.getMessage());
    } else {
      String id = UUID.randomUUID().toString();
      LOG.error("request {} {} failed (error id {})", req.method(), req.path(), id, e);
      send(req, 500, "internal error " + e.getClass().getSimpleName() + " (error id " + id + ")");
    }
  }

  /** Asks the client to come back in a second (429, 503). */
  void retryAfter(HttpServerRequest req) {
    if (!req.response().headWritten()) {
      req.response().putHeader("Retry-After", "1");
    }
  }

  /**
   * Feast's error body: the JSON text {@code {"module": "feast.errors", "class": ..., "message":
   * ...}} (Python's {@code json.dumps} spacing) sent as a JSON string.
   */
  private void sendFeast(HttpServerRequest req, int status, String feastClass, String message) {
    if (req.response().ended() || req.response().closed()) {
      return;
    }
    String detail =
        "{\"module\": \"feast.errors\", \"class\": "
            + pythonJsonString(feastClass)
            + ", \"message\": "
            + pythonJsonString(message)
            + "}";
    String body;
    try {
      body = JSON.writeValueAsString(detail);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  /** {@code s} as Python's {@code json.dumps} writes a string: non-ASCII as {@code \\uXXXX}. */
  static String pythonJsonString(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** Answers {@code status} and {@code {"error": message}}, unless already answered. */
  void send(HttpServerRequest req, int status, String message) {
    if (req.response().ended() || req.response().closed()) {
      return; // answered already (say, 413 mid-body), or the client went away
    }
    String body = JSON.createObjectNode().put("error", message).toString();
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }
}
