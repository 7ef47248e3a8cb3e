package io.inferis.testing;

import java.util.List;

/** A set of real Redis processes a test talks to: one node, a cluster or a Sentinel group. */
public interface RedisDeployment extends AutoCloseable {

  /** The URL the product accepts for this deployment (see README.md, "Configuration"). */
  String uri();

  /** How the servers are secured; {@link RedisSecurity#none()} unless started otherwise. */
  default RedisSecurity security() {
    return RedisSecurity.none();
  }

  /** Every redis-server process of the deployment (sentinels excluded). */
  List<RedisNode> nodes();

  /** Deletes every key, so a shared deployment starts each test empty. */
  void flushAll();

  /** True when every process runs and answers; a shared deployment that is not is replaced. */
  boolean isUsable();

  /** Kills every process. */
  @Override
  void close();
}
