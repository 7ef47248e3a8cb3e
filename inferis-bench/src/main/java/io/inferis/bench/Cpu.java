package io.inferis.bench;

import io.inferis.testing.RedisNode;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

/**
 * CPU used while one client runs, per lookup: this JVM's (the client; the HTTP server in {@link
 * HttpOverheadLoad}) and the Redis nodes'. CPU time is not charged for time the hypervisor took
 * away (steal), so unlike lookups/s these figures hold still on a noisy machine: the costs, for
 * comparing two builds or two clients.
 */
record Cpu(List<RedisNode> nodes, long jvmStart, long redisStart, Jvm jvm) {

  static Cpu start(List<RedisNode> nodes) {
    return new Cpu(nodes, processCpuNanos(), redisCpuNanos(nodes), Jvm.now());
  }

  /**
   * Also prints what the JVM did besides the client in the interval: JIT compilation (a client
   * still being compiled is not yet measured at its speed) and GC pauses.
   */
  void print(String name, long lookups, String jvmRole) {
    Jvm since = Jvm.now().minus(jvm);
    System.out.printf(
        "%s: %.1f us of %s CPU and %.1f us of Redis CPU per lookup; %.1f kB allocated per"
            + " lookup; JIT %d ms, %d GCs %d ms%n",
        name,
        (processCpuNanos() - jvmStart) / 1e3 / lookups,
        jvmRole,
        (redisCpuNanos(nodes) - redisStart) / 1e3 / lookups,
        since.allocated() / 1e3 / lookups,
        since.jitMillis(),
        since.gcs(),
        since.gcMillis());
  }

  /** This JVM's CPU per lookup since the start, in microseconds. */
  double jvmMicrosPerLookup(long lookups) {
    return (processCpuNanos() - jvmStart) / 1e3 / lookups;
  }

  /** The Redis nodes' CPU per lookup since the start, in microseconds. */
  double redisMicrosPerLookup(long lookups) {
    return (redisCpuNanos(nodes) - redisStart) / 1e3 / lookups;
  }

  /** The nodes' user + system CPU from {@code INFO cpu}, in nanoseconds. */
  private static long redisCpuNanos(List<RedisNode> nodes) {
    double seconds = 0;
    for (RedisNode n : nodes) {
      Map<String, String> info = n.info("cpu");
      seconds +=
          Double.parseDouble(info.get("used_cpu_user"))
              + Double.parseDouble(info.get("used_cpu_sys"));
    }
    return (long) (seconds * 1e9);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The JVM's totals so far: bytes allocated by all threads, JIT compilation time and GC
   * collections and their time.
   */
  record Jvm(long allocated, long jitMillis, long gcs, long gcMillis) {
    static Jvm now() {
      long gcs = 0;
      long gcMillis = 0;
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        gcs += Math.max(0, gc.getCollectionCount());
        gcMillis += Math.max(0, gc.getCollectionTime());
      }
      return new Jvm(
          ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
              .getTotalThreadAllocatedBytes(),
          ManagementFactory.getCompilationMXBean().getTotalCompilationTime(),
          gcs,
          gcMillis);
    }

    Jvm minus(Jvm earlier) {
      return new Jvm(
          allocated - earlier.allocated,
          jitMillis - earlier.jitMillis,
          gcs - earlier.gcs,
          gcMillis - earlier.gcMillis);
    }
  }
}
