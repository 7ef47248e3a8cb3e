package io.inferis.bench;

import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisDeployment;
import io.inferis.testing.RedisNode;
import io.lettuce.core.RedisURI;
import java.util.List;
import redis.clients.jedis.HostAndPort;

/**
 * The Redis deployment the clients of one topology run against, addressed the way each client
 * library takes it.
 *
 * @param topology {@code standalone} or {@code cluster}, as the table shows it
 * @param url the deployment's URL, for inferis
 * @param masters the nodes whose connections and CPU are sampled
 */
record Target(
    String topology,
    String url,
    boolean cluster,
    List<RedisNode> masters,
    List<RedisURI> uris,
    List<HostAndPort> hostPorts) {

  static Target of(String topology, RedisDeployment d) {
    boolean cluster = topology.equals("cluster");
    return new Target(
        topology,
        d.uri(),
        cluster,
        cluster ? ((RedisCluster) d).masters() : d.nodes(),
        d.nodes().stream().map(n -> RedisURI.create("redis://127.0.0.1:" + n.port())).toList(),
        d.nodes().stream().map(n -> new HostAndPort("127.0.0.1", n.port())).toList());
  }
}
