package io.inferis.server.cli;

import io.inferis.redis.RedisAuthenticationException;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.inferis.redis.RedisTlsException;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The Redis TLS and credential flags {@code serve}, {@code load} and {@code audit} share (a picocli
 * mixin), each with its environment twin. The password is read only from {@value #PASSWORD_ENV} (or
 * the URL), never from a flag, so it need not appear in {@code ps}.
 */
final class RedisSecurityFlags {

  /** Environment variable holding the Redis password when the URL carries none. */
  static final String PASSWORD_ENV = "INFERIS_REDIS_PASSWORD";

  @Option(
      names = "--redis-ca-cert",
      paramLabel = "FILE",
      defaultValue = "${env:INFERIS_REDIS_CA_CERT}",
      description =
          "PEM file of the CA(s) to trust for rediss:// (env INFERIS_REDIS_CA_CERT; default: the"
              + " JVM's trust store).")
  @Nullable Path caCert;

  @Option(
      names = "--redis-client-cert",
      paramLabel = "FILE",
      defaultValue = "${env:INFERIS_REDIS_CLIENT_CERT}",
      description =
          "PEM client certificate for mutual TLS, with --redis-client-key (env"
              + " INFERIS_REDIS_CLIENT_CERT).")
  @Nullable Path clientCert;

  @Option(
      names = "--redis-client-key",
      paramLabel = "FILE",
      defaultValue = "${env:INFERIS_REDIS_CLIENT_KEY}",
      description =
          "Unencrypted PKCS#8 PEM key of --redis-client-cert (env INFERIS_REDIS_CLIENT_KEY).")
  @Nullable Path clientKey;

  @Option(
      names = "--redis-skip-hostname-check",
      defaultValue = "${env:INFERIS_REDIS_SKIP_HOSTNAME_CHECK:-false}",
      description =
          "Weaker TLS: accept any certificate the trusted CA issued, whatever host it names (env"
              + " INFERIS_REDIS_SKIP_HOSTNAME_CHECK).")
  boolean skipHostnameCheck;

  @Option(
      names = "--redis-user",
      defaultValue = "${env:INFERIS_REDIS_USER}",
      description =
          "ACL user for the password in env "
              + PASSWORD_ENV
              + " (env INFERIS_REDIS_USER; default: the default user).")
  @Nullable String user;

  /** True when any of these flags (or their environment twins) is set. */
  boolean isSet() {
    return caCert != null
        || clientCert != null
        || clientKey != null
        || skipHostnameCheck
        || user != null;
  }

  /**
   * {@code base} with these flags and the password from {@code env} applied.
   *
   * @throws ParameterException naming the flag for a bad combination or an unreadable file
   */
  RedisOptions options(CommandSpec spec, RedisOptions.Builder base, Map<String, String> env) {
    try {
      base.tlsCaCert(caCert).tlsVerifyHostname(!skipHostnameCheck);
      if ((clientCert == null) != (clientKey == null)) {
        throw new IllegalArgumentException(
            "--redis-client-cert and --redis-client-key go together");
      }
      base.tlsClientCert(clientCert, clientKey);
      String password = env.get(PASSWORD_ENV);
      if (password != null && !password.isEmpty()) {
        base.credentials(user, password.toCharArray());
      } else if (user != null) {
        throw new IllegalArgumentException("--redis-user needs the password in " + PASSWORD_ENV);
      }
      return base.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--redis: " + e.getMessage());
    }
  }

  /**
   * Connects to {@code url} with these flags. A malformed URL, refused credentials and a failed TLS
   * handshake are configuration errors (exit 2, the message names the endpoint and never the
   * password); an unreachable Redis propagates.
   */
  RedisConnector connect(CommandSpec spec, String url, RedisOptions.Builder base) {
    RedisOptions options = options(spec, base, System.getenv());
    try {
      return RedisConnector.connect(url, options);
    } catch (IllegalArgumentException | RedisAuthenticationException | RedisTlsException e) {
      throw new ParameterException(spec.commandLine(), "--redis: " + e.getMessage());
    }
  }
}
