package io.inferis.server.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inferis.features.DeadlineExceededException;
import io.inferis.features.InvalidRequestException;
import io.inferis.features.OverloadedException;
import io.inferis.features.UnknownFeatureException;
import io.inferis.redis.RedisUnavailableException;
import io.inferis.server.feast.ClientError;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error answer of the gRPC server, mapped in one place as the HTTP server maps them:
 *
 * <ul>
 *   <li>{@link ClientError}: {@code NOT_FOUND} for something that does not exist, else {@code
 *       INVALID_ARGUMENT} (a malformed, invalid or over-limit request);
 *   <li>{@link UnknownFeatureException} {@code NOT_FOUND}, {@link InvalidRequestException} {@code
 *       INVALID_ARGUMENT}: the store refused the request's arguments;
 *   <li>{@link OverloadedException} {@code RESOURCE_EXHAUSTED}; {@link RedisUnavailableException}
 *       {@code UNAVAILABLE}; {@link DeadlineExceededException} {@code DEADLINE_EXCEEDED};
 *   <li>anything else is the server's fault: {@code INTERNAL} with an id, logged with its stack
 *       under that id.
 * </ul>
 *
 * Feast's Python gRPC server answers an unknown feature service with {@code INTERNAL} and other
 * mistakes with {@code UNKNOWN}; inferis gives the code that says what went wrong, so a client can
 * tell its mistake from a server fault. Thread-safe.
 */
final class GrpcErrors {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcErrors.class);

  private GrpcErrors() {}

  /** The status {@code failure} of {@code method} maps to, as an exception to hand gRPC. */
  static StatusRuntimeException of(String method, Throwable failure) {
    Throwable e =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    Status status;
    if (e instanceof StatusRuntimeException s) {
      return s;
    } else if (e instanceof ClientError c) {
      status = c.kind() == ClientError.Kind.NOT_FOUND ? Status.NOT_FOUND : Status.INVALID_ARGUMENT;
    } else if (e instanceof UnknownFeatureException) {
      status = Status.NOT_FOUND;
    } else if (e instanceof InvalidRequestException) {
      status = Status.INVALID_ARGUMENT;
    } else if (e instanceof DeadlineExceededException) {
      status = Status.DEADLINE_EXCEEDED;
    } else if (e instanceof OverloadedException) {
      status = Status.RESOURCE_EXHAUSTED;
    } else if (e instanceof RedisUnavailableException) {
      status = Status.UNAVAILABLE;
    } else {
      String id = UUID.randomUUID().toString();
      LOG.error("gRPC {} failed (error id {})", method, id, e);
      return Status.INTERNAL
          .withDescription(
              "internal error " + e.getClass().getSimpleName() + " (error id " + id + ")")
          .asRuntimeException();
    }
    return status.withDescription(e.getMessage()).asRuntimeException();
  }
}
