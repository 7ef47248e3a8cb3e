/**
 * Feast's gRPC serving API on one port: {@code feast.serving.ServingService} (Feast's Go server and
 * Java client) and {@code GrpcFeatureServer} (Feast's Python gRPC server, {@code feast listen}),
 * over the same {@link io.inferis.server.feast.FeastOnline} operations as the HTTP endpoints, with
 * {@code grpc.health.v1} and server reflection ({@link io.inferis.server.grpc.FeastGrpcServer}).
 */
@NullMarked
package io.inferis.server.grpc;

import org.jspecify.annotations.NullMarked;
