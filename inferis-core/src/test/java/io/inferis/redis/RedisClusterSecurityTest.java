package io.inferis.redis;

import static io.inferis.redis.SecureRoundTrip.assertFailsFast;
import static io.inferis.redis.SecureRoundTrip.assertRoundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.inferis.testing.RedisSecurity;
import io.inferis.testing.TlsMaterial;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 3-master/3-replica cluster with an ACL user and TLS everywhere (clients, replication, cluster
 * bus): the cluster announces its TLS ports, and the client verifies every node's certificate and
 * hostname.
 */
class RedisClusterSecurityTest {

  @RegisterExtension
  static final RedisFixture<RedisCluster> cluster =
      RedisFixture.cluster(RedisSecurity.acl().withTls());

  private static RedisOptions.Builder trustingCa() {
    return RedisOptions.builder().tlsCaCert(TlsMaterial.get().caCert());
  }

  private static String firstSeed() {
    RedisNode n = cluster.get().nodes().get(0);
    return n.host() + ":" + n.port();
  }

  @Test
  void aclUserOverTls_roundTripsOnEveryMaster() {
    assertThat(cluster.get().uri()).startsWith("rediss-cluster://alice:");
    try (RedisConnector c = RedisConnector.connect(cluster.get().uri(), trustingCa().build())) {
      assertThat(c.isCluster()).isTrue();
      assertRoundTrip(c);
      Set<String> masters = new HashSet<>();
      try (Cache cache = Caches.redis(c)) {
        // One key in each master's initial slot range (0-5460, 5461-10922, 10923-16383).
        for (String key : List.of("secure:{a}", "secure:{b}", "secure:{c}")) {
          cache.set(key, new byte[] {1});
          RedisNode owner = cluster.get().masterFor(key);
          long found = owner.call(r -> r.exists(key));
          assertThat(found).as(key + " on " + owner).isEqualTo(1L);
          masters.add(owner.name());
        }
      }
      assertThat(masters).as("keys written through every master's TLS port").hasSize(3);
    }
  }

  @Test
  void wrongPassword_failsFastNamingTheSeeds() {
    String bad = "not-" + RedisSecurity.userPassword();
    String url = cluster.get().uri().replace(RedisSecurity.userPassword(), bad);
    assertFailsFast(
        () -> RedisConnector.connect(url, trustingCa().build()),
        RedisAuthenticationException.class,
        firstSeed(),
        "WRONGPASS",
        bad,
        RedisSecurity.userPassword());
  }

  @Test
  void untrustedCa_failsFast() {
    RedisOptions options =
        RedisOptions.builder().tlsCaCert(TlsMaterial.get().untrustedCaCert()).build();
    assertFailsFast(
        () -> RedisConnector.connect(cluster.get().uri(), options),
        RedisTlsException.class,
        firstSeed(),
        "TLS handshake",
        RedisSecurity.userPassword());
  }
}
