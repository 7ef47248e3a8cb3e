package io.inferis.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.redis.NetTransport;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

/**
 * The process's transport: the best available unless the user switched Lettuce's io_uring off (as
 * the epoll test run does), and never Lettuce's epoll-first default.
 */
class ConnectionTransportTest {

  @Test
  void theProcess_usesTheBestTransport_thatTheUserLeftOn() {
    boolean ioUringOff = "false".equals(System.getProperty("io.lettuce.core.iouring"));
    NetTransport expected =
        IoUring.isAvailable() && !ioUringOff
            ? NetTransport.IO_URING
            : Epoll.isAvailable() ? NetTransport.EPOLL : NetTransport.NIO;
    assertThat(NetTransport.ofConnections()).isEqualTo(expected);
  }
}
