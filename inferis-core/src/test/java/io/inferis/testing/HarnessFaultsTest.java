package io.inferis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fault handles later tests rely on, each shown on a cluster of its own. */
class HarnessFaultsTest {

  @RegisterExtension
  static final RedisFixture<RedisCluster> cluster = RedisFixture.cluster().dedicated();

  @Test
  void killedMasterIsDetectedAndItsReplicaTakesOver_thenRestartRejoinsOnSamePort() {
    RedisCluster c = cluster.get();
    c.awaitHealthy();
    RedisNode master = c.masterFor("a");
    RedisNode replica = c.replicasOf(master).get(0);
    int port = master.port();
    long oldPid = master.pid();

    master.kill();

    assertThat(master.isRunning()).isFalse();
    assertThat(master.ping()).isFalse();
    Awaitility.await("replica promoted after kill")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                "master".equals(replica.info("replication").get("role"))
                    && c.masterFor("a").equals(replica));

    master.restart();

    assertThat(master.port()).isEqualTo(port);
    assertThat(master.pid()).isNotEqualTo(oldPid);
    c.awaitHealthy();
    assertThat(master.info("replication").get("role")).isEqualTo("slave");
    assertThat(c.replicasOf(replica)).containsExactly(master);
  }

  @Test
  void pausedNodeAnswersNothing_thenRecoversAfterContinue() {
    RedisCluster c = cluster.get();
    c.awaitHealthy();
    RedisNode replica = c.replicas().get(0);

    replica.pause();
    assertThat(replica.isRunning()).isTrue();
    assertThat(replica.ping()).isFalse();

    replica.resume();
    assertThat(replica.ping()).isTrue();
    c.awaitHealthy();
  }

  @Test
  void clusterFailoverSwapsRoles() {
    RedisCluster c = cluster.get();
    c.awaitHealthy();
    RedisNode master = c.masterFor("b");
    RedisNode promoted = c.failover(master);
    assertThat(c.masterFor("b")).isEqualTo(promoted);
    assertThat(master.info("replication").get("role")).isEqualTo("slave");
  }

  @Test
  void connectedClientsCountsOpenConnections() {
    RedisNode node = cluster.get().nodes().get(0);
    int before = node.connectedClients();
    node.call(
        x -> {
          // The admin connection running this lambda is the one extra client.
          assertThat(Integer.parseInt(node.info("clients").get("connected_clients")))
              .isEqualTo(before + 2);
          return null;
        });
  }
}
