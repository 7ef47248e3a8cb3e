package io.inferis.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisUrlTest {

  private static RedisCredentials credentials(RedisURI u) {
    return u.getCredentialsProvider().resolveCredentials().block();
  }

  @Test
  void standalone_withUserPasswordAndDb() {
    RedisUrl url = RedisUrl.parse("redis://alice:s3cret@10.0.0.1:6380/2");
    assertThat(url.kind()).isEqualTo(RedisUrl.Kind.STANDALONE);
    RedisURI u = url.uris().get(0);
    assertThat(u.getHost()).isEqualTo("10.0.0.1");
    assertThat(u.getPort()).isEqualTo(6380);
    assertThat(u.getDatabase()).isEqualTo(2);
    assertThat(credentials(u).getUsername()).isEqualTo("alice");
    assertThat(new String(credentials(u).getPassword())).isEqualTo("s3cret");
    assertThat(u.isSsl()).isFalse();
    assertThat(url.redacted())
        .isEqualTo("redis://alice:***@10.0.0.1:6380/2")
        .doesNotContain("s3cret");
  }

  @Test
  void tls_andDefaultPort() {
    RedisUrl url = RedisUrl.parse("rediss://cache.example.com");
    assertThat(url.uris().get(0).isSsl()).isTrue();
    assertThat(url.uris().get(0).getPort()).isEqualTo(6379);
  }

  @Test
  void cluster_seedNodes() {
    RedisUrl url = RedisUrl.parse("redis-cluster://:pw@h1:7000,h2:7001,h3");
    assertThat(url.kind()).isEqualTo(RedisUrl.Kind.CLUSTER);
    assertThat(url.uris()).extracting(RedisURI::getHost).containsExactly("h1", "h2", "h3");
    assertThat(url.uris()).extracting(RedisURI::getPort).containsExactly(7000, 7001, 6379);
    assertThat(url.uris())
        .allSatisfy(u -> assertThat(new String(credentials(u).getPassword())).isEqualTo("pw"));
    assertThat(url.redacted()).isEqualTo("redis-cluster://***@h1:7000,h2:7001,h3");
  }

  @Test
  void sentinel_hostsThenMaster() {
    RedisUrl url = RedisUrl.parse("redis-sentinel://s1:26380,s2/mymaster/1");
    assertThat(url.kind()).isEqualTo(RedisUrl.Kind.SENTINEL);
    RedisURI u = url.uris().get(0);
    assertThat(u.getSentinelMasterId()).isEqualTo("mymaster");
    assertThat(u.getSentinels()).extracting(RedisURI::getPort).containsExactly(26380, 26379);
    assertThat(u.getDatabase()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "localhost:6379",
        "http://localhost",
        "redis://",
        "redis://host:99999",
        "redis://host:port",
        "redis://host/notadb",
        "redis-sentinel://s1:26379",
        "redis-cluster://h1:7000/0"
      })
  void malformedUrls_areRejectedWithAClearMessage(String bad) {
    assertThatThrownBy(() -> RedisUrl.parse(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageFindingMatch("(?i)redis|url|host|port|database|scheme");
  }

  @Test
  void malformedUrl_neverEchoesThePassword() {
    assertThatThrownBy(() -> RedisUrl.parse("redis://u:topsecret@host:notaport"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> RedisUrl.parse("mysql://u:topsecret@host"))
        .hasMessageNotContaining("topsecret");
  }

  @Test
  void fuzz_arbitraryStrings_onlyEverThrowIllegalArgument() {
    java.util.Random random = new java.util.Random(42);
    String alphabet = "redis-clustersentinel:/@,.[]%?#=0123456789 \u00e9\u0000";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder(random.nextBoolean() ? "redis://" : "");
      int len = random.nextInt(40);
      for (int j = 0; j < len; j++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String candidate = sb.toString();
      try {
        RedisUrl.parse(candidate);
      } catch (IllegalArgumentException expected) {
        // the only failure a caller ever sees
      } catch (RuntimeException e) {
        throw new AssertionError("'" + candidate + "' threw " + e, e);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "redis://alice:p%40ss-w0rd@h:1",
        "redis://:p%40ss-w0rd@h:1",
        "redis://p%40ss-w0rd@h:1",
        "rediss://alice:p%40ss-w0rd@h:1/3",
        "rediss-cluster://alice:p%40ss-w0rd@h1:1,h2:2",
        "rediss-sentinel://alice:p%40ss-w0rd@h:26379/mymaster",
        "redis://alice:p%40ss-w0rd@h:1/notadb",
        "redis://alice:p%40ss-w0rd@h:99999"
      })
  void redactedFormsAndErrors_neverContainThePassword(String url) {
    String message;
    try {
      RedisUrl parsed = RedisUrl.parse(url);
      assertThat(parsed.hasCredentials()).isTrue();
      message = parsed.redacted() + " " + parsed;
      assertThat(parsed.redacted()).contains("***@");
    } catch (IllegalArgumentException e) {
      message = e.getMessage();
    }
    assertThat(message).doesNotContain("p%40ss-w0rd").doesNotContain("p@ss-w0rd").contains("***");
  }

  @Test
  void tlsAndCredentialFlags() {
    assertThat(RedisUrl.parse("rediss-cluster://h:1").isTls()).isTrue();
    assertThat(RedisUrl.parse("redis://h:1").isTls()).isFalse();
    assertThat(RedisUrl.parse("redis://h:1").hasCredentials()).isFalse();
  }
}
