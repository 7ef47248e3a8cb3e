package io.inferis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

class AuditClusterTest {

  @RegisterExtension static final RedisFixture<RedisCluster> cluster = RedisFixture.cluster();

  @Test
  void scansEveryMaster() {
    RedisCluster c = cluster.get();
    for (String key : new String[] {"a", "b", "c", "orphan:{x}", "orphan:{y}"}) {
      c.masterFor(key).call(x -> x.set(key, "v"));
    }
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new InferisCommand());
    cli.setOut(new PrintWriter(out, true));
    assertThat(
            cli.execute(
                "audit",
                "--redis",
                c.uri(),
                "--match",
                "orphan:*",
                "--fix-ttl",
                "30",
                "--no-dry-run"))
        .isZero();
    assertThat(out.toString()).contains("scanned 2 keys").contains("set a TTL of 30 s on 2 keys");
    assertThat(c.masterFor("a").<Long>call(x -> x.ttl("a"))).isEqualTo(-1);
    assertThat(c.masterFor("orphan:{y}").<Long>call(x -> x.ttl("orphan:{y}"))).isBetween(20L, 30L);

    // One master after another finds the same keys.
    StringWriter oneByOne = new StringWriter();
    cli.setOut(new PrintWriter(oneByOne, true));
    assertThat(cli.execute("audit", "--redis", c.uri(), "--parallel", "1", "--no-progress"))
        .isZero();
    assertThat(oneByOne.toString()).contains("scanned 5 keys");
  }
}
