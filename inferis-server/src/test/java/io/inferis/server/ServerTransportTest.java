package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.redis.NetTransport;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.Test;

/**
 * The server's Vert.x runs the transport of the process's Redis connections (which a connector per
 * event loop needs), in the default run (io_uring where the kernel has it) and in the epoll run.
 */
class ServerTransportTest {

  @Test
  void vertx_runsTheTransportOfTheRedisConnections() {
    Vertx vertx = FeatureHttpServer.newVertx(ServerOptions.defaults());
    try {
      String expected =
          switch (NetTransport.ofConnections()) {
            case IO_URING -> "IoUringTransport";
            case EPOLL -> "EpollTransport";
            case NIO -> "NioTransport"; // or UnixDomainSocketNioTransport
          };
      assertThat(((VertxInternal) vertx).transport().getClass().getSimpleName()).endsWith(expected);
    } finally {
      vertx.close().await();
    }
  }
}
