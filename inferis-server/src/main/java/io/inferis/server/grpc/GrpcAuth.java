package io.inferis.server.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import io.inferis.server.ServerOptions;

/**
 * Bearer-token authentication for gRPC, as over HTTP ({@link ServerOptions#authRequired()}): a call
 * must carry {@code authorization: Bearer <token>} metadata, else it is closed {@code
 * UNAUTHENTICATED}; the health service is open when {@link ServerOptions#openHealth()}. The token
 * is never echoed or logged. Thread-safe.
 */
final class GrpcAuth implements ServerInterceptor {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ServerOptions options;

  GrpcAuth(ServerOptions options) {
    this.options = options;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!options.authRequired()
        || (options.openHealth()
            && HealthGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName()))) {
      return next.startCall(call, headers);
    }
    String header = headers.get(AUTHORIZATION);
    String problem = null;
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      problem = "this server needs 'authorization: Bearer <token>' metadata";
    } else if (!options.tokenMatches(header.substring(7).trim())) {
      problem = "the bearer token is not valid";
    }
    if (problem == null) {
      return next.startCall(call, headers);
    }
    call.close(Status.UNAUTHENTICATED.withDescription(problem), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
