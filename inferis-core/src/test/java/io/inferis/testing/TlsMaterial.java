package io.inferis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates and keys for TLS tests, generated with {@code openssl} once per test JVM under
 * {@code target/redis-harness/tls/<pid>/}; nothing secret is committed. Keys are unencrypted PKCS#8
 * PEM (EC P-256), valid for two days.
 *
 * <ul>
 *   <li>{@link #caCert()}: the test CA every other certificate here is signed by;
 *   <li>{@link #serverCert()}: SAN {@code IP:127.0.0.1, DNS:localhost}, what servers present;
 *   <li>{@link #clientCert()}: a client certificate for mutual TLS;
 *   <li>{@link #wrongHostCert()}: signed by the CA, but for {@code DNS:wrong.example} only, so a
 *       client connecting to 127.0.0.1 with hostname verification rejects it;
 *   <li>{@link #untrustedCaCert()}: a second CA that signed nothing here, to trust instead of the
 *       real one.
 * </ul>
 *
 * <p>Thread-safe; {@link #get()} generates on first use.
 */
public final class TlsMaterial {

  private static volatile TlsMaterial instance;

  private final Path dir;

  private TlsMaterial(Path dir) {
    this.dir = dir;
  }

  /**
   * The material of this JVM, generated on first call.
   *
   * @throws IllegalStateException if {@code openssl} is missing or fails, with its output
   */
  public static TlsMaterial get() {
    TlsMaterial m = instance;
    if (m == null) {
      synchronized (TlsMaterial.class) {
        m = instance;
        if (m == null) {
          m = generate(HarnessDirs.root().resolve("tls").resolve(pidDir()));
          instance = m;
        }
      }
    }
    return m;
  }

  /** PEM certificate of the CA that signed the server, client and wrong-host certificates. */
  public Path caCert() {
    return dir.resolve("ca.crt");
  }

  /** PEM certificate of a CA that signed none of the certificates here. */
  public Path untrustedCaCert() {
    return dir.resolve("other-ca.crt");
  }

  /** Server certificate for {@code 127.0.0.1} and {@code localhost}. */
  public Path serverCert() {
    return dir.resolve("server.crt");
  }

  /** Key of {@link #serverCert()}. */
  public Path serverKey() {
    return dir.resolve("server.key");
  }

  /** Client certificate for mutual TLS. */
  public Path clientCert() {
    return dir.resolve("client.crt");
  }

  /** Key of {@link #clientCert()}. */
  public Path clientKey() {
    return dir.resolve("client.key");
  }

  /** Server certificate for {@code wrong.example} only. */
  public Path wrongHostCert() {
    return dir.resolve("wrong-host.crt");
  }

  /** Key of {@link #wrongHostCert()}. */
  public Path wrongHostKey() {
    return dir.resolve("wrong-host.key");
  }

  private static String pidDir() {
    return Long.toString(ProcessHandle.current().pid());
  }

  private static TlsMaterial generate(Path dir) {
    try {
      HarnessDirs.deleteRecursively(dir);
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("req.cnf"),
          String.join(
              "\n",
              "[req]",
              "distinguished_name = dn",
              "[dn]",
              "[ca]",
              "basicConstraints = critical,CA:TRUE",
              "keyUsage = critical,keyCertSign,cRLSign",
              "subjectKeyIdentifier = hash",
              ""),
          StandardCharsets.UTF_8);
      TlsMaterial m = new TlsMaterial(dir);
      selfSignedCa(dir, "ca", "inferis test CA");
      selfSignedCa(dir, "other-ca", "inferis untrusted test CA");
      // The server certificate also serves as the client certificate of replication and the
      // cluster bus under tls-auth-clients, so it carries no extendedKeyUsage restriction.
      leaf(dir, "server", "localhost", "IP:127.0.0.1,DNS:localhost", 2);
      leaf(dir, "client", "inferis test client", "DNS:inferis-client", 3);
      leaf(dir, "wrong-host", "wrong.example", "DNS:wrong.example", 4);
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void selfSignedCa(Path dir, String name, String cn) {
    openssl(
        dir,
        "req",
        "-x509",
        "-new",
        "-nodes",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-keyout",
        name + ".key",
        "-out",
        name + ".crt",
        "-days",
        "2",
        "-subj",
        "/CN=" + cn,
        "-config",
        "req.cnf",
        "-extensions",
        "ca");
  }

  private static void leaf(Path dir, String name, String cn, String san, int serial)
      throws IOException {
    openssl(
        dir,
        "req",
        "-new",
        "-nodes",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        "/CN=" + cn,
        "-config",
        "req.cnf");
    Files.writeString(
        dir.resolve(name + ".ext"),
        String.join(
            "\n",
            "basicConstraints = CA:FALSE",
            "keyUsage = critical,digitalSignature",
            "subjectAltName = " + san,
            "authorityKeyIdentifier = keyid",
            ""),
        StandardCharsets.UTF_8);
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-set_serial",
        Integer.toString(serial),
        "-days",
        "2",
        "-out",
        name + ".crt",
        "-extfile",
        name + ".ext");
  }

  private static void openssl(Path dir, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("openssl did not finish: " + cmd);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "openssl failed (" + p.exitValue() + "): " + cmd + "\n" + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "TLS tests generate their certificates with openssl, which could not run ("
              + e.getMessage()
              + "); install it (apt-get install openssl)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
