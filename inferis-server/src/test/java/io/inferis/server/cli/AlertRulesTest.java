package io.inferis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/prometheus/alerts.yml} passes {@code promtool check rules} (Debian's {@code
 * prometheus} package; {@code .ci/run} installs it), and so does every query of {@code
 * deploy/grafana/inferis.json}, as recording rules. {@code GrpcServeTest} checks that a serving
 * server exports every metric both name.
 */
class AlertRulesTest {

  @TempDir Path tmp;

  @Test
  void alertRules_passPromtool() throws Exception {
    assertThat(promtool(DeployFiles.ALERTS)).contains("SUCCESS");
  }

  @Test
  void grafanaQueries_arePromQlThatPromtoolAccepts() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DeployFiles.GRAFANA.toFile());
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        exprs.add(target.get("expr").asText());
      }
    }
    assertThat(exprs).hasSizeGreaterThan(20);
    StringBuilder rules = new StringBuilder("groups:\n  - name: grafana\n    rules:\n");
    for (int i = 0; i < exprs.size(); i++) {
      // Grafana's variables, as Grafana would fill them in.
      String expr = exprs.get(i).replace("$__rate_interval", "2m").replace("$instance", ".*");
      rules
          .append("      - record: grafana:panel_")
          .append(i)
          .append("\n        expr: '")
          .append(expr.replace("'", "''"))
          .append("'\n");
    }
    Path file = tmp.resolve("grafana-rules.yml");
    Files.writeString(file, rules);
    assertThat(promtool(file)).contains("SUCCESS: " + exprs.size() + " rules found");
  }

  private static String promtool(Path rules) throws Exception {
    Process p =
        new ProcessBuilder("promtool", "check", "rules", rules.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
