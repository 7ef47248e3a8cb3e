package io.inferis.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chaos soak in its short CI form (40 s, every fault kind at least once). The long form:
 *
 * <pre>
 * ./mvnw -B -pl inferis-server -am verify -Dtest=ChaosSoakTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dinferis.chaos.seconds=300
 * </pre>
 *
 * <p>Figures go to stdout and {@code inferis-server/target/chaos-soak.md}.
 */
class ChaosSoakTest {

  @RegisterExtension
  static final RedisFixture<RedisCluster> cluster = RedisFixture.cluster().dedicated();

  @Test
  void threeServersUnderFaults_loseNothingAcknowledged_leakNothing_andNeverHang() throws Exception {
    int seconds = Integer.getInteger("inferis.chaos.seconds", 40);
    ChaosSoak.Settings settings =
        new ChaosSoak.Settings(
            Duration.ofSeconds(seconds),
            3,
            Integer.getInteger("inferis.chaos.rps", 200),
            2,
            Duration.ofSeconds(Integer.getInteger("inferis.chaos.fault-every", 8)));
    ChaosSoak.Result r = new ChaosSoak(cluster.get(), settings).run();

    String report = r.toMarkdown();
    System.out.println(report);
    Files.writeString(Path.of("target", "chaos-soak.md"), report, StandardCharsets.UTF_8);

    assertThat(r.faults()).as("faults injected").hasSizeGreaterThanOrEqualTo(4);
    assertThat(r.hung()).as("requests without an answer").isZero();
    assertThat(r.unclear())
        .as("answers that were neither a success nor a clear error: %s", r.unclearSamples())
        .isZero();
    assertThat(r.sent()).isEqualTo(r.succeeded() + r.failedClear() + r.unclear() + r.hung());
    // Requests sent to a server while it restarts are refused (the soak has no health-checking
    // load balancer, so each one is counted); of those that reached a live server, nearly all
    // must succeed — the rest are 504s for keys on a stopped master.
    long reached = r.sent() - r.failuresByKind().getOrDefault("refused (server down)", 0L);
    assertThat(r.succeeded())
        .as("succeeded of %d that reached a server", reached)
        .isGreaterThanOrEqualTo(reached * 95 / 100);
    assertThat(r.writesAcked()).as("acknowledged writes").isGreaterThan(50);
    assertThat(r.writesLostOutsideFailover())
        .as("acknowledged writes lost outside a failover")
        .isZero();
    assertThat(r.ttlSamples()).as("PTTL probes").isGreaterThan(100);
    assertThat(r.keysWithoutTtl())
        .as("monitoring keys without TTL: %s", r.keysWithoutTtlSamples())
        .isZero();
    assertThat(r.leftoverKeys()).as("inferis: keys one window after the last server died").isZero();
    // Per node, whatever the load: each server has a cluster connector per HTTP event loop and
    // one shared; each connector holds its node connection and at most one more (the default
    // connection, to one node), plus one short-lived connection while a topology refresh reads
    // CLUSTER NODES (every second while a hung master makes commands time out); the final
    // read-back connector 2 more, and the TTL probe 1.
    int connectorsPerServer = ChaosSoak.EVENT_LOOPS + 1;
    assertThat(r.maxConnections())
        .as("max connected_clients on any node")
        .isLessThanOrEqualTo(3 * connectorsPerServer * 3 + 2 + 1);
  }
}
