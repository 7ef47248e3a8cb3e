package io.inferis.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A connect whose handshake outcome Lettuce lost (the channel closed before Lettuce reported the
 * refusal) is made again, so the caller sees the refusal itself; any other failure is not.
 */
class LostHandshakeTest {

  private static RuntimeException lost() {
    return new RedisConnectionException(
        "Unable to connect", new IllegalStateException("RedisHandshakeHandler not registered"));
  }

  private static RuntimeException closedFirst() {
    return new RedisConnectionException(
        "Unable to connect", new RedisConnectionException("Connection closed prematurely"));
  }

  @Test
  void aLostHandshake_isConnectedAgain() {
    AtomicInteger attempts = new AtomicInteger();
    String connected =
        LettuceConnector.reportingHandshake(
            () -> {
              int attempt = attempts.incrementAndGet();
              if (attempt < 3) {
                throw attempt == 1 ? lost() : closedFirst();
              }
              return "connected";
            });
    assertThat(connected).isEqualTo("connected");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void anotherFailure_isThrownAtOnce_andALostHandshakeAfterThreeAttempts() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                LettuceConnector.reportingHandshake(
                    () -> {
                      attempts.incrementAndGet();
                      throw new RedisConnectionException("Connection refused");
                    }))
        .hasMessage("Connection refused");
    assertThat(attempts).hasValue(1);

    attempts.set(0);
    assertThatThrownBy(
            () ->
                LettuceConnector.reportingHandshake(
                    () -> {
                      attempts.incrementAndGet();
                      throw lost();
                    }))
        .hasRootCauseMessage("RedisHandshakeHandler not registered");
    assertThat(attempts).hasValue(3);
  }
}
