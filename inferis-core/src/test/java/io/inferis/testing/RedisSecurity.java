package io.inferis.testing;

import io.inferis.redis.RedisOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a test server is secured: {@link #none()} (the default, as before), a password and ACL users
 * ({@link #acl()}), TLS ({@link #withTls()}), a certificate for the wrong host ({@link
 * #withWrongHostCert()}) and mutual TLS ({@link #withClientAuth()}). The harness's own admin
 * connections authenticate as the default user and present the client certificate, so it can form
 * clusters and flush secured servers like any other.
 *
 * <p>Passwords are random per JVM, so a test that finds one in a message found a real leak.
 * Immutable.
 */
public final class RedisSecurity {

  /** The ACL user {@link #acl()} creates, with every permission on every key and channel. */
  public static final String USER = "alice";

  private static final String USER_PASSWORD = "alice-" + randomHex();
  private static final String ADMIN_PASSWORD = "admin-" + randomHex();
  private static final RedisSecurity NONE = new RedisSecurity(false, false, false, false);

  private final boolean acl;
  private final boolean tls;
  private final boolean wrongHostCert;
  private final boolean clientAuth;

  private RedisSecurity(boolean acl, boolean tls, boolean wrongHostCert, boolean clientAuth) {
    this.acl = acl;
    this.tls = tls;
    this.wrongHostCert = wrongHostCert;
    this.clientAuth = clientAuth;
  }

  /** No password, no TLS: what every other test uses. */
  public static RedisSecurity none() {
    return NONE;
  }

  /**
   * {@code requirepass} for the default user (the harness's) and the ACL user {@link #USER} with
   * {@link #userPassword()}; {@link RedisDeployment#uri()} then carries {@code alice}'s
   * credentials.
   */
  public static RedisSecurity acl() {
    return new RedisSecurity(true, false, false, false);
  }

  /**
   * TLS only: {@code port 0}, {@code tls-port}, and for a cluster {@code tls-cluster} and {@code
   * tls-replication}, so no byte travels in clear; the server presents {@link
   * TlsMaterial#serverCert()}.
   */
  public RedisSecurity withTls() {
    return new RedisSecurity(acl, true, wrongHostCert, clientAuth);
  }

  /** TLS with {@link TlsMaterial#wrongHostCert()}: trusted CA, but not for 127.0.0.1. */
  public RedisSecurity withWrongHostCert() {
    return new RedisSecurity(acl, true, true, clientAuth);
  }

  /** TLS with {@code tls-auth-clients yes}: a client without a certificate is refused. */
  public RedisSecurity withClientAuth() {
    return new RedisSecurity(acl, true, wrongHostCert, true);
  }

  /** True when servers speak only TLS. */
  public boolean isTls() {
    return tls;
  }

  /** True when servers require a password. */
  public boolean isAcl() {
    return acl;
  }

  /** True when servers require a client certificate. */
  public boolean requiresClientCert() {
    return clientAuth;
  }

  /** {@link #USER}'s password (random per JVM). */
  public static String userPassword() {
    return USER_PASSWORD;
  }

  /** The default user's password (random per JVM); only the harness uses it. */
  public static String adminPassword() {
    return ADMIN_PASSWORD;
  }

  /** A short name for fixture sharing and server directories, e.g. {@code acl-tls}. */
  public String name() {
    List<String> parts = new ArrayList<>();
    if (acl) {
      parts.add("acl");
    }
    if (tls) {
      parts.add(wrongHostCert ? "tls-wronghost" : "tls");
    }
    if (clientAuth) {
      parts.add("mtls");
    }
    return parts.isEmpty() ? "plain" : String.join("-", parts);
  }

  /**
   * The URL scheme and credentials for the product: e.g. {@code rediss://alice:<pw>@} for a
   * standalone server, {@code rediss-cluster://alice:<pw>@} for a cluster.
   */
  String urlPrefix(boolean cluster) {
    String scheme = (tls ? "rediss" : "redis") + (cluster ? "-cluster" : "");
    return scheme + "://" + (acl ? USER + ":" + USER_PASSWORD + "@" : "");
  }

  /**
   * Options for the product's connector that trust the test CA and, under mutual TLS, present the
   * client certificate. Hostname verification stays on (the default).
   */
  public RedisOptions.Builder clientOptions(RedisOptions.Builder b) {
    if (tls) {
      TlsMaterial m = TlsMaterial.get();
      b.tlsCaCert(m.caCert());
      if (clientAuth) {
        b.tlsClientCert(m.clientCert(), m.clientKey());
      }
    }
    return b;
  }

  /** The {@code redis.conf} lines that make a server listen on {@code port}, secured. */
  List<String> serverConfig(int port) {
    List<String> lines = new ArrayList<>();
    if (tls) {
      TlsMaterial m = TlsMaterial.get();
      lines.add("port 0");
      lines.add("tls-port " + port);
      lines.add("tls-cert-file " + (wrongHostCert ? m.wrongHostCert() : m.serverCert()));
      lines.add("tls-key-file " + (wrongHostCert ? m.wrongHostKey() : m.serverKey()));
      lines.add("tls-ca-cert-file " + m.caCert());
      lines.add("tls-auth-clients " + (clientAuth ? "yes" : "no"));
      // Replicas and the cluster bus speak TLS too, and CLUSTER SLOTS announces the TLS port.
      lines.add("tls-replication yes");
      lines.add("tls-cluster yes");
    } else {
      lines.add("port " + port);
    }
    if (acl) {
      lines.add("requirepass " + ADMIN_PASSWORD);
      lines.add("masterauth " + ADMIN_PASSWORD);
      lines.add("user " + USER + " on >" + USER_PASSWORD + " ~* &* +@all");
    }
    return lines;
  }

  /** The admin client that can talk to such a server. */
  RedisClient adminClient() {
    return tls ? Admin.tlsClient() : Admin.client();
  }

  /** An admin URI for {@code host:port}: default user's password, TLS with CA-only checks. */
  RedisURI adminUri(String host, int port) {
    RedisURI.Builder b =
        RedisURI.builder().withHost(host).withPort(port).withTimeout(Admin.TIMEOUT);
    if (acl) {
      b.withPassword(ADMIN_PASSWORD.toCharArray());
    }
    if (tls) {
      // The harness is not under test: it must reach a server with the wrong-host certificate too.
      b.withSsl(true).withVerifyPeer(SslVerifyMode.CA);
    }
    return b.build();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RedisSecurity s
        && s.acl == acl
        && s.tls == tls
        && s.wrongHostCert == wrongHostCert
        && s.clientAuth == clientAuth;
  }

  @Override
  public int hashCode() {
    return Objects.hash(acl, tls, wrongHostCert, clientAuth);
  }

  @Override
  public String toString() {
    return name();
  }

  private static String randomHex() {
    byte[] b = new byte[8];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
