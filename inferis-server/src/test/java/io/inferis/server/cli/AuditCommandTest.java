package io.inferis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuditCommandTest {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  private final InProcessCli cli = new InProcessCli();
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  private int run(String... args) {
    return cli.run(args);
  }

  private void plant() {
    RedisNode node = redis.get();
    node.call(c -> c.zadd("inferis:{pod-1}:inference:m", 1.0, "rec"));
    node.call(c -> c.pexpire("inferis:{pod-1}:inference:m", 60_000));
    node.call(c -> c.zadd("legacy:{pod-2}:inference:m", 1.0, "x".repeat(5000)));
    node.call(c -> c.set("legacy:models", "y"));
  }

  @Test
  void findsKeysWithoutTtl_byPrefix_andChangesNothingByDefault() {
    plant();
    assertThat(run("audit", "--redis", redis.get().uri(), "--fix-ttl", "120")).isZero();
    assertThat(out.toString())
        .contains("scanned 3 keys")
        .contains("keys without a TTL: 2")
        .contains("legacy:*")
        .contains("legacy:{pod-2}:inference:m")
        .contains("dry run: would set a TTL of 120 s on 2 keys");
    assertThat(redis.get().<Long>call(c -> c.pttl("legacy:models"))).isEqualTo(-1);
  }

  @Test
  void fixTtl_noDryRun_setsTheTtl_onlyOnKeysWithoutOne() {
    plant();
    assertThat(run("audit", "--redis", redis.get().uri(), "--fix-ttl", "120", "--no-dry-run"))
        .isZero();
    assertThat(out.toString()).contains("set a TTL of 120 s on 2 keys");
    assertThat(redis.get().<Long>call(c -> c.ttl("legacy:models"))).isBetween(110L, 120L);
    assertThat(redis.get().<Long>call(c -> c.pttl("inferis:{pod-1}:inference:m")))
        .isLessThanOrEqualTo(60_000L);
  }

  @Test
  void badArguments_exitTwoWithAMessage() {
    assertThat(run("audit", "--redis", redis.get().uri(), "--fix-ttl", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--fix-ttl must be at least 1 second");
    assertThat(run("audit", "--redis", redis.get().uri(), "--no-dry-run")).isEqualTo(2);
    assertThat(run("audit", "--redis", "mysql://nope")).isEqualTo(2);
    assertThat(err.toString()).contains("--redis");
    assertThat(run("audit", "--redis", redis.get().uri(), "--depth", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--depth must be 1-16");
    assertThat(run("audit", "--redis", redis.get().uri(), "--sample", "10")).isEqualTo(2);
    assertThat(run("audit", "--redis", redis.get().uri(), "--parallel", "-1")).isEqualTo(2);
    assertThat(run("audit", "--redis", redis.get().uri(), "--sample", "5000", "--match", "x*"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--sample needs --match '*'");
    assertThat(run("audit", "--redis", redis.get().uri(), "--delimiter", "")).isEqualTo(2);
  }

  @Test
  void json_holdsTheReportAndTheFix() throws Exception {
    plant();
    assertThat(run("audit", "--redis", redis.get().uri(), "--json", "--fix-ttl", "60")).isZero();
    JsonNode doc = new ObjectMapper().readTree(out.toString());
    assertThat(doc.at("/scanned").asLong()).isEqualTo(3);
    assertThat(doc.at("/all/without_ttl").asLong()).isEqualTo(2);
    assertThat(doc.at("/by_prefix/legacy:*/without_ttl").asLong()).isEqualTo(2);
    assertThat(doc.at("/by_type/zset/keys").asLong()).isEqualTo(2);
    assertThat(doc.at("/by_idle_age/under_1_hour/keys").asLong()).isEqualTo(3);
    assertThat(doc.at("/largest/0/name").asText()).isEqualTo("legacy:{pod-2}:inference:m");
    assertThat(doc.at("/fix_ttl/would_change").asLong()).isEqualTo(2);
    assertThat(doc.at("/fix_ttl/dry_run").asBoolean()).isTrue();
  }
}
