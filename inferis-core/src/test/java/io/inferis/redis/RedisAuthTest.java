package io.inferis.redis;

import static io.inferis.redis.SecureRoundTrip.assertFailsFast;
import static io.inferis.redis.SecureRoundTrip.assertNoSecret;
import static io.inferis.redis.SecureRoundTrip.assertRoundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.inferis.testing.RedisSecurity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Password and ACL users on a standalone server: what works, and how refusals fail. */
class RedisAuthTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone(RedisSecurity.acl());

  private static final String USER_PW = RedisSecurity.userPassword();
  private static final String ADMIN_PW = RedisSecurity.adminPassword();

  private String hostPort() {
    return redis.get().host() + ":" + redis.get().port();
  }

  @Test
  void aclUser_roundTripsFeaturesAndCache() {
    assertThat(redis.get().uri()).startsWith("redis://alice:");
    try (RedisConnector c = RedisConnector.connect(redis.get().uri())) {
      assertRoundTrip(c);
    }
  }

  @Test
  void connectorEndpointAndToString_showTheUserButNotThePassword() {
    try (RedisConnector c = RedisConnector.connect(redis.get().uri())) {
      assertThat(c.endpoint()).isEqualTo("redis://alice:***@" + hostPort());
      assertThat(c.toString()).contains("alice:***@" + hostPort()).doesNotContain(USER_PW);
    }
  }

  @Test
  void passwordOnlyForms_authenticateAsDefaultUser() {
    for (String url :
        new String[] {
          "redis://:" + ADMIN_PW + "@" + hostPort(), "redis://" + ADMIN_PW + "@" + hostPort()
        }) {
      try (RedisConnector c = RedisConnector.connect(url)) {
        assertRoundTrip(c);
        assertThat(c.endpoint()).isEqualTo("redis://***@" + hostPort());
      }
    }
  }

  @Test
  void credentialsFromOptions_keepThePasswordOutOfTheUrl() {
    RedisOptions options =
        RedisOptions.builder().credentials(RedisSecurity.USER, USER_PW.toCharArray()).build();
    try (RedisConnector c = RedisConnector.connect("redis://" + hostPort(), options)) {
      assertRoundTrip(c);
    }
  }

  @Test
  void credentialsInUrlAndOptions_areRejectedAsAmbiguous() {
    RedisOptions options = RedisOptions.builder().credentials(null, "other".toCharArray()).build();
    assertThatThrownBy(() -> RedisConnector.connect(redis.get().uri(), options))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both in the URL and in the options")
        .satisfies(e -> assertNoSecret(e, USER_PW, "other"));
  }

  @Test
  void wrongPassword_failsFastNamingTheEndpoint_withoutThePassword() {
    String bad = "not-" + USER_PW;
    assertFailsFast(
        () -> RedisConnector.connect("redis://alice:" + bad + "@" + hostPort()),
        RedisAuthenticationException.class,
        hostPort(),
        "WRONGPASS",
        bad,
        USER_PW);
  }

  @Test
  void unknownUser_failsFast() {
    assertFailsFast(
        () -> RedisConnector.connect("redis://mallory:" + USER_PW + "@" + hostPort()),
        RedisAuthenticationException.class,
        hostPort(),
        "authentication",
        USER_PW);
  }

  @Test
  void noPassword_failsFastAtConnect_notAtTheFirstCommand() {
    assertFailsFast(
        () -> RedisConnector.connect("redis://" + hostPort()),
        RedisAuthenticationException.class,
        hostPort(),
        "NOAUTH");
  }

  @Test
  void wrongPasswordFromOptions_failsFast_withoutThePassword() {
    RedisOptions options =
        RedisOptions.builder()
            .credentials(RedisSecurity.USER, "wrong-secret".toCharArray())
            .build();
    assertFailsFast(
        () -> RedisConnector.connect("redis://" + hostPort(), options),
        RedisAuthenticationException.class,
        hostPort(),
        "WRONGPASS",
        "wrong-secret");
  }
}
