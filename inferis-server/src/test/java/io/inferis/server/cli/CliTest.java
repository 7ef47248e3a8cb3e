package io.inferis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.redis.NetTransport;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CliTest {

  private final InProcessCli cli = new InProcessCli();
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  private int run(String... args) {
    return cli.run(args);
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
  void serve_anUnknownTransport_orOneOtherThanTheProcesss_exitsTwo() {
    assertThat(run("serve", "--demo", "--port", "0", "--transport", "dpdk")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--transport must be auto, io_uring, epoll or nio, was 'dpdk'");
    // This JVM's transport is fixed already (the first connection fixes it for the process).
    NetTransport other =
        NetTransport.ofConnections() == NetTransport.NIO ? NetTransport.EPOLL : NetTransport.NIO;
    assertThat(run("serve", "--demo", "--port", "0", "--transport", other.label())).isEqualTo(2);
    assertThat(err.toString()).contains("--transport " + other.label()).contains("already use");
  }

  @Test
  void bench_unknownScenarioOrMissingJar_exitTwo() {
    assertThat(run("bench", "nope")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown scenario 'nope'");
    assertThat(run("bench", "window", "--jar", "/nonexistent/benchmarks.jar")).isEqualTo(2);
    assertThat(err.toString()).contains("./mvnw -q -DskipTests package");
  }

  @Test
  void everySubcommandHasHelp() {
    for (String sub : new String[] {"serve", "load", "audit", "bench"}) {
      assertThat(run(sub, "--help")).as(sub).isZero();
      assertThat(out.toString()).contains("Usage: inferis " + sub);
    }
  }

  @Test
  void serve_authFlagErrors_exitTwo_andNeverPrintTheToken() throws Exception {
    String token = "short-tok";
    assertThat(run("serve", "--demo", "--port", "0", "--auth-token", token)).isEqualTo(2);
    assertThat(err.toString()).contains("at least 16").doesNotContain(token);

    java.nio.file.Path file = java.nio.file.Files.createTempFile("inferis-token", ".txt");
    try {
      java.nio.file.Files.writeString(file, "long-enough-token-0123456789\n");
      assertThat(
              run(
                  "serve",
                  "--demo",
                  "--auth-token",
                  "long-enough-token-0123456789",
                  "--auth-token-file",
                  file.toString()))
          .isEqualTo(2);
      assertThat(err.toString()).contains("not both");
    } finally {
      java.nio.file.Files.delete(file);
    }
    assertThat(run("serve", "--demo", "--auth-token-file", "/nonexistent/token")).isEqualTo(2);
    assertThat(err.toString()).contains("cannot read --auth-token-file /nonexistent/token");

    assertThat(run("serve", "--demo", "--max-features", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("maxFeatures must be at least 1");

    assertThat(run("serve", "--demo", "--key-watch-interval", "soon")).isEqualTo(2);
    assertThat(err.toString()).contains("--key-watch-interval must be 'window', 0 (off) or 1-120");
    assertThat(run("serve", "--demo", "--key-watch-interval", "121")).isEqualTo(2);
    assertThat(run("serve", "--demo", "--key-watch-interval", "-1")).isEqualTo(2);

    assertThat(run("serve", "--help")).isZero();
    assertThat(out.toString())
        .contains("--auth-token-file")
        .contains("--[no-]open-health")
        .contains("--max-concurrent-requests");
  }
}
