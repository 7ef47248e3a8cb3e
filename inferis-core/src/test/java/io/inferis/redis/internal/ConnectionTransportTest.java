package io.inferis.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.redis.NetTransport;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

/**
 * The process's transport: epoll unless the user switched Lettuce's epoll off (as the io_uring test
 * run does); never io_uring by default.
 */
class ConnectionTransportTest {

  @Test
  void theProcess_usesEpoll_unlessTheUserChoseAnother() {
    boolean epollOff = "false".equals(System.getProperty("io.lettuce.core.epoll"));
    NetTransport expected =
        epollOff && IoUring.isAvailable()
            ? NetTransport.IO_URING
            : Epoll.isAvailable() && !epollOff ? NetTransport.EPOLL : NetTransport.NIO;
    assertThat(NetTransport.ofConnections()).isEqualTo(expected);
  }
}
