package io.inferis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterHarnessTest {

  @RegisterExtension static final RedisFixture<RedisCluster> cluster = RedisFixture.cluster();

  @Test
  void clusterHasThreeMastersAndThreeReplicas() {
    RedisCluster c = cluster.get();
    assertThat(c.nodes()).hasSize(6);
    assertThat(c.masters()).hasSize(3);
    assertThat(c.replicas()).hasSize(3);
    assertThat(c.isHealthy()).isTrue();
    for (RedisNode master : c.masters()) {
      assertThat(c.replicasOf(master)).hasSize(1);
    }
  }

  @Test
  void writeLandsOnSlotOwnerAndIsReadableThroughClusterClient() {
    RedisCluster c = cluster.get();
    // "a" hashes to slot 15495 and "b" to 3300: different masters.
    String onThird = "a";
    String onFirst = "b";
    assertThat(SlotHash.getSlot(onThird)).isGreaterThan(10922);
    assertThat(SlotHash.getSlot(onFirst)).isLessThan(5461);
    RedisNode ownerOfThird = c.masterFor(onThird);
    RedisNode ownerOfFirst = c.masterFor(onFirst);
    assertThat(ownerOfThird).isNotEqualTo(ownerOfFirst);

    // Written directly on each owning master ...
    ownerOfThird.call(x -> x.set(onThird, "third"));
    ownerOfFirst.call(x -> x.set(onFirst, "first"));

    List<RedisURI> seeds = c.nodes().stream().map(RedisNode::redisUri).collect(Collectors.toList());
    RedisClusterClient client = RedisClusterClient.create(Admin.client().getResources(), seeds);
    try (StatefulRedisClusterConnection<String, String> conn = client.connect()) {
      // ... and read through one cluster client that starts from the other master.
      assertThat(conn.sync().get(onThird)).isEqualTo("third");
      assertThat(conn.sync().get(onFirst)).isEqualTo("first");
      conn.sync().set("{b}other", "via-client");
      assertThat(ownerOfFirst.<String>call(x -> x.get("{b}other"))).isEqualTo("via-client");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void flushEmptiesEveryMaster() {
    RedisCluster c = cluster.get();
    c.masterFor("a").call(x -> x.set("a", "1"));
    c.flushAll();
    for (RedisNode m : c.masters()) {
      assertThat(m.<Long>call(x -> x.dbsize())).isZero();
    }
  }
}
