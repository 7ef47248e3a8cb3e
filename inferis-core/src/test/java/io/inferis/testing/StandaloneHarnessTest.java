package io.inferis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StandaloneHarnessTest {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  @Test
  void serverRunsOnLoopbackPortThatIsNotTheDefault() {
    RedisNode node = redis.get();
    assertThat(node.port()).isNotEqualTo(6379).isBetween(20000, 29999);
    assertThat(node.info("server").get("tcp_port")).isEqualTo(Integer.toString(node.port()));
  }

  @Test
  void serverKeepsNothingOnDisk() {
    RedisNode node = redis.get();
    assertThat(node.call(c -> c.configGet("save")).get("save")).isEmpty();
    assertThat(node.call(c -> c.configGet("appendonly")).get("appendonly")).isEqualTo("no");
  }

  @Test
  void writesAreReadBack() {
    RedisNode node = redis.get();
    node.call(c -> c.set("greeting", "hello"));
    assertThat(node.<String>call(c -> c.get("greeting"))).isEqualTo("hello");
  }

  @Test
  void eachTestStartsEmpty_first() {
    assertThat(redis.get().<Long>call(RedisCommands::dbsize)).isZero();
    redis.get().call(c -> c.set("left-behind", "x"));
  }

  @Test
  void eachTestStartsEmpty_second() {
    assertThat(redis.get().<Long>call(RedisCommands::dbsize)).isZero();
    redis.get().call(c -> c.set("left-behind", "x"));
  }
}
