package io.inferis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/prometheus/alerts.yml} passes {@code promtool check rules} (Debian's {@code
 * prometheus} package; {@code .ci/run} installs it). {@code GrpcServeTest} checks that a serving
 * server exports every metric the rules name.
 */
class AlertRulesTest {

  @Test
  void alertRules_passPromtool() throws Exception {
    Process p =
        new ProcessBuilder("promtool", "check", "rules", DeployFiles.ALERTS.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("SUCCESS");
  }
}
