package io.inferis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new InferisCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void help_printsUsageAndExitsZero() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: inferis").contains("--version");
  }

  @Test
  void version_printsProjectVersion() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("inferis ").doesNotContain("unknown");
  }

  @Test
  void unknownOption_exitsTwoWithMessage() {
    assertThat(run("--no-such-flag")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown option: '--no-such-flag'");
  }

  @Test
  void bench_unknownScenarioOrMissingJar_exitTwo() {
    assertThat(run("bench", "nope")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown scenario 'nope'");
    assertThat(run("bench", "window", "--jar", "/nonexistent/benchmarks.jar")).isEqualTo(2);
    assertThat(err.toString()).contains("./mvnw -q -DskipTests install");
  }

  @Test
  void everySubcommandHasHelp() {
    for (String sub : new String[] {"serve", "load", "audit", "bench"}) {
      assertThat(run(sub, "--help")).as(sub).isZero();
      assertThat(out.toString()).contains("Usage: inferis " + sub);
    }
  }
}
