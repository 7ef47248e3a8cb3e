package io.inferis.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void defaults_areTheDocumentedConstants() {
    RetryPolicy p = RetryPolicy.defaults();
    assertThat(p.maxAttempts()).isEqualTo(RetryPolicy.DEFAULT_MAX_ATTEMPTS).isEqualTo(3);
    assertThat(p.baseDelay()).isEqualTo(Duration.ofMillis(10));
    assertThat(p.maxDelay()).isEqualTo(Duration.ofMillis(200));
    assertThat(p.budgetRatio()).isEqualTo(0.1);
    assertThat(p.budgetMaxRetries()).isEqualTo(100);
    assertThat(p.toBuilder().build()).isEqualTo(p);
    assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
  }

  @Test
  void backoffCeiling_doublesPerFailure_upToTheMax() {
    RetryPolicy p = RetryPolicy.defaults();
    assertThat(p.backoffCeilingNanos(1)).isEqualTo(Duration.ofMillis(10).toNanos());
    assertThat(p.backoffCeilingNanos(2)).isEqualTo(Duration.ofMillis(20).toNanos());
    assertThat(p.backoffCeilingNanos(5)).isEqualTo(Duration.ofMillis(160).toNanos());
    assertThat(p.backoffCeilingNanos(6)).isEqualTo(Duration.ofMillis(200).toNanos());
    assertThat(p.backoffCeilingNanos(1_000)).isEqualTo(Duration.ofMillis(200).toNanos());
  }

  @Test
  void backoff_isDrawnUniformlyBelowTheCeiling_fullJitter() {
    RetryPolicy p = RetryPolicy.defaults();
    Random random = new Random(42);
    long ceiling = p.backoffCeilingNanos(3);
    long sum = 0;
    long max = 0;
    long min = Long.MAX_VALUE;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      long d = p.backoffNanos(3, random);
      assertThat(d).isBetween(0L, ceiling);
      sum += d;
      max = Math.max(max, d);
      min = Math.min(min, d);
    }
    // Uniform over [0, ceiling]: mean near half, and both ends reached.
    assertThat((double) sum / n / ceiling).isBetween(0.48, 0.52);
    assertThat(min).isLessThan(ceiling / 100);
    assertThat(max).isGreaterThan(ceiling - ceiling / 100);
  }

  @Test
  void badSettings_areRejectedNamingTheConstraint() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts must be >= 1");
    assertThatThrownBy(
            () -> RetryPolicy.builder().backoff(Duration.ofMillis(20), Duration.ofMillis(10)))
        .hasMessageContaining("max delay must be >= base delay");
    assertThatThrownBy(() -> RetryPolicy.builder().backoff(Duration.ZERO, Duration.ofMillis(10)))
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> RetryPolicy.builder().budget(1.5, 10))
        .hasMessageContaining("budget ratio must be in [0, 1]");
    assertThatThrownBy(() -> RetryPolicy.builder().budget(0.1, -1))
        .hasMessageContaining("budget max retries must be >= 0");
    assertThatThrownBy(() -> RetryPolicy.defaults().backoffNanos(0, new Random()))
        .hasMessageContaining("failedAttempts must be >= 1");
  }
}
