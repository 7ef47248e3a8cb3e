package io.inferis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SentinelHarnessTest {

  @RegisterExtension
  static final RedisFixture<RedisSentinelGroup> group = RedisFixture.sentinel().dedicated();

  @Test
  void sentinelsSeeMasterAndReplica() {
    RedisSentinelGroup g = group.get();
    assertThat(g.sentinels()).hasSize(3);
    RedisNode master = g.master();
    assertThat(g.nodes()).contains(master);
    for (RedisNode n : g.nodes()) {
      String role = n.equals(master) ? "master" : "slave";
      assertThat(n.info("replication").get("role")).isEqualTo(role);
    }
    assertThat(g.uri()).startsWith("redis-sentinel://127.0.0.1:").endsWith("/mymaster");
  }

  @Test
  void failoverPromotesTheReplica() {
    RedisSentinelGroup g = group.get();
    RedisNode old = g.master();
    RedisNode promoted = g.failover();
    assertThat(promoted).isNotEqualTo(old);
    assertThat(promoted.info("replication").get("role")).isEqualTo("master");
  }
}
