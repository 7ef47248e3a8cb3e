/**
 * The real-Redis test harness: starts {@code redis-server} processes on free loopback ports
 * (standalone, a 3-master/3-replica cluster, a Sentinel group), offers fault handles (SIGKILL,
 * SIGSTOP/SIGCONT, restart on the same port, failover) and reaps every process it started.
 * Published as inferis-core's test-jar so the other modules reuse it. Entry point: {@link
 * io.inferis.testing.RedisFixture}.
 */
package io.inferis.testing;
