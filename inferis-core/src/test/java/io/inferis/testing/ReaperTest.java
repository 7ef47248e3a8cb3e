package io.inferis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ReaperTest {

  /** Started in a child JVM: starts one redis-server, prints its pid, then waits forever. */
  public static final class StartsRedisAndHangs {
    public static void main(String[] args) throws InterruptedException {
      RedisNode node = RedisNode.start("orphan-candidate");
      System.out.println("redis-pid " + node.pid());
      new java.util.concurrent.CountDownLatch(1).await(); // parked until the test SIGKILLs this JVM
    }
  }

  @Test
  void whenTestJvmIsKilled_itsRedisServersDieToo() {
    try (JavaProcess jvm = JavaProcess.start(StartsRedisAndHangs.class)) {
      long redisPid =
          Long.parseLong(jvm.awaitLine("redis-pid ", Duration.ofSeconds(60)).split(" ")[1]);
      assertThat(ProcessHandle.of(redisPid)).isPresent();

      jvm.kill(); // SIGKILL: no shutdown hook runs in the child

      Awaitility.await("orphaned redis-server " + redisPid + " reaped")
          .atMost(Duration.ofSeconds(10))
          .until(() -> ProcessHandle.of(redisPid).map(h -> !h.isAlive()).orElse(true));
    }
  }
}
