package io.inferis.redis;

import static io.inferis.redis.SecureRoundTrip.assertFailsFast;
import static io.inferis.redis.SecureRoundTrip.assertRoundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.inferis.testing.RedisSecurity;
import io.inferis.testing.TlsMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS to a standalone server with certificates made at test time: CA and hostname verification, an
 * untrusted CA, a certificate for the wrong host, and mutual TLS.
 */
class RedisTlsTest {

  /** TLS plus an ACL user: the production shape. */
  @RegisterExtension
  static final RedisFixture<RedisNode> tls = RedisFixture.standalone(RedisSecurity.acl().withTls());

  /** Presents a certificate the CA signed for {@code wrong.example}. */
  @RegisterExtension
  static final RedisFixture<RedisNode> wrongHost =
      RedisFixture.standalone(RedisSecurity.none().withWrongHostCert());

  /** {@code tls-auth-clients yes}. */
  @RegisterExtension
  static final RedisFixture<RedisNode> mutual =
      RedisFixture.standalone(RedisSecurity.none().withTls().withClientAuth());

  private static final TlsMaterial CERTS = TlsMaterial.get();

  private static RedisOptions.Builder trustingCa() {
    return RedisOptions.builder().tlsCaCert(CERTS.caCert());
  }

  private static String hostPort(RedisFixture<RedisNode> f) {
    return f.get().host() + ":" + f.get().port();
  }

  @Test
  void trustedCaAndMatchingHostname_roundTrips() {
    assertThat(tls.get().uri()).startsWith("rediss://alice:");
    assertThat(trustingCa().build().tlsVerifyHostname()).isTrue();
    try (RedisConnector c = RedisConnector.connect(tls.get().uri(), trustingCa().build())) {
      assertRoundTrip(c);
    }
  }

  @Test
  void untrustedCa_failsFastWithTlsException() {
    RedisOptions options = RedisOptions.builder().tlsCaCert(CERTS.untrustedCaCert()).build();
    assertFailsFast(
        () -> RedisConnector.connect(tls.get().uri(), options),
        RedisTlsException.class,
        hostPort(tls),
        "TLS handshake",
        RedisSecurity.userPassword());
  }

  @Test
  void jvmDefaultTrustStore_doesNotTrustThePrivateCa() {
    assertFailsFast(
        () -> RedisConnector.connect(tls.get().uri()),
        RedisTlsException.class,
        hostPort(tls),
        "TLS handshake",
        RedisSecurity.userPassword());
  }

  @Test
  void plainTextUrlToTlsPort_failsFast() {
    String plain = tls.get().uri().replace("rediss://", "redis://");
    long start = System.nanoTime();
    assertThatThrownBy(() -> RedisConnector.connect(plain))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining(hostPort(tls))
        .hasMessageNotContaining(RedisSecurity.userPassword());
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(SecureRoundTrip.FAST);
  }

  @Test
  void tlsMaterialWithPlainTextUrl_isRejected() {
    String plain = "redis://" + hostPort(tls);
    assertThatThrownBy(() -> RedisConnector.connect(plain, trustingCa().build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not use TLS");
  }

  @Test
  void wrongHostCertificate_failsWithHostnameVerification() {
    assertFailsFast(
        () -> RedisConnector.connect("rediss://" + hostPort(wrongHost), trustingCa().build()),
        RedisTlsException.class,
        hostPort(wrongHost),
        "TLS handshake");
  }

  @Test
  void wrongHostCertificate_isAcceptedWithHostnameVerificationOff() {
    RedisOptions caOnly = trustingCa().tlsVerifyHostname(false).build();
    try (RedisConnector c = RedisConnector.connect("rediss://" + hostPort(wrongHost), caOnly)) {
      assertRoundTrip(c);
    }
  }

  @Test
  void hostnameVerificationOff_stillRefusesAnUntrustedCa() {
    RedisOptions options =
        RedisOptions.builder().tlsCaCert(CERTS.untrustedCaCert()).tlsVerifyHostname(false).build();
    assertFailsFast(
        () -> RedisConnector.connect("rediss://" + hostPort(wrongHost), options),
        RedisTlsException.class,
        hostPort(wrongHost),
        "TLS handshake");
  }

  @Test
  void mutualTls_withClientCertificate_roundTrips() {
    RedisOptions options =
        trustingCa().tlsClientCert(CERTS.clientCert(), CERTS.clientKey()).build();
    try (RedisConnector c = RedisConnector.connect(mutual.get().uri(), options)) {
      assertRoundTrip(c);
    }
  }

  @Test
  void mutualTls_withoutClientCertificate_failsFast() {
    assertFailsFast(
        () -> RedisConnector.connect(mutual.get().uri(), trustingCa().build()),
        RedisTlsException.class,
        hostPort(mutual),
        "TLS handshake");
  }

  @Test
  void clientCertWithoutKey_isRejectedByTheBuilder() {
    assertThatThrownBy(() -> RedisOptions.builder().tlsClientCert(CERTS.clientCert(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both");
    assertThatThrownBy(
            () -> RedisOptions.builder().tlsCaCert(CERTS.caCert().resolveSibling("missing.crt")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("readable file");
  }
}
