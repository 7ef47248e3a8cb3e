package io.inferis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inferis.testing.JavaProcess;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code audit --fix-ttl} SIGKILLed while it sets TTLs: no key's TTL was shortened or lengthened,
 * the keys it reached have the new TTL and the others none; a rerun finishes the job and a second
 * rerun changes nothing.
 */
class AuditFixKillTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  private static final int KEYS = 150_000;

  /**
   * Counts, over {@code leak:0 .. leak:N-1}: even keys (planted without a TTL) still without one,
   * even keys with the fix's TTL (7,200 s), odd keys (a TTL of 100,000 s or 3,000 s) whose TTL is
   * what it was, and every other key (a TTL that should not be there).
   */
  private static final String COUNT =
      "local none, fixed, kept, wrong = 0, 0, 0, 0 "
          + "for i = 0, tonumber(ARGV[1]) - 1 do "
          + "  local t = redis.call('TTL', 'leak:' .. i) "
          + "  if i % 2 == 0 then "
          + "    if t == -1 then none = none + 1 "
          + "    elseif t > 7000 and t <= 7200 then fixed = fixed + 1 else wrong = wrong + 1 end "
          + "  elseif (i % 4 == 1 and t > 99000) or (i % 4 == 3 and t > 2800 and t <= 3000) then "
          + "    kept = kept + 1 "
          + "  else wrong = wrong + 1 end "
          + "end return {none, fixed, kept, wrong}";

  @Test
  void killedMidway_leavesNoTtlChanged_andARerunFinishes() {
    RedisNode node = redis.get();
    node.call(
        c ->
            c.eval(
                "for i = 0, tonumber(ARGV[1]) - 1 do "
                    + "  local k = 'leak:' .. i "
                    + "  redis.call('SET', k, 'v') "
                    + "  if i % 4 == 1 then redis.call('EXPIRE', k, 100000) "
                    + "  elseif i % 4 == 3 then redis.call('EXPIRE', k, 3000) end "
                    + "end return 1",
                ScriptOutputType.INTEGER, new String[0], Integer.toString(KEYS)));

    node.call(c -> c.configResetstat());
    try (JavaProcess audit =
        JavaProcess.start(
            Main.class,
            "audit",
            "--redis",
            node.uri(),
            "--match",
            "leak:*",
            "--top",
            "0",
            "--no-progress",
            "--fix-ttl",
            "7200",
            "--no-dry-run")) {
      audit.awaitLine("keys without a TTL: " + KEYS / 2, Duration.ofSeconds(60));
      // Counting the keys would take longer than the fix: watch Redis count its EXPIREs instead.
      await("the first TTLs set")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(2))
          .until(() -> node.<String>call(c -> c.info("commandstats")).contains("cmdstat_expire:"));
      audit.kill();
    }
    List<Long> afterKill = counts(node);
    assertThat(afterKill.get(3)).as("keys with a TTL they should not have").isZero();
    assertThat(afterKill.get(2)).as("odd keys, TTL kept").isEqualTo(KEYS / 2);
    assertThat(afterKill.get(0) + afterKill.get(1)).isEqualTo(KEYS / 2);
    assertThat(afterKill.get(0)).as("even keys the killed run did not reach").isPositive();

    assertThat(fix(node, 7200)).contains("set a TTL of 7200 s on " + afterKill.get(0) + " keys");
    List<Long> afterRerun = counts(node);
    assertThat(afterRerun).containsExactly(0L, (long) KEYS / 2, (long) KEYS / 2, 0L);

    assertThat(fix(node, 60)).contains("set a TTL of 60 s on 0 keys");
    assertThat(counts(node)).isEqualTo(afterRerun);
  }

  /** What {@code audit --fix-ttl seconds --no-dry-run} printed, run in this JVM. */
  private static String fix(RedisNode node, int seconds) {
    InProcessCli cli = new InProcessCli();
    assertThat(
            cli.run(
                "audit",
                "--redis",
                node.uri(),
                "--match",
                "leak:*",
                "--no-progress",
                "--fix-ttl",
                Integer.toString(seconds),
                "--no-dry-run"))
        .isZero();
    return cli.out.toString();
  }

  private static List<Long> counts(RedisNode node) {
    return node.call(
        c ->
            c.<List<Long>>eval(
                COUNT, ScriptOutputType.MULTI, new String[0], Integer.toString(KEYS)));
  }
}
