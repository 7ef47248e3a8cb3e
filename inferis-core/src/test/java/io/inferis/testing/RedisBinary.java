package io.inferis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Finds a {@code redis-server} binary for tests, in this order: {@code $INFERIS_REDIS_SERVER}, then
 * {@code redis-server} on {@code PATH}, then the linux binary shipped inside the test-scoped Maven
 * artifact {@code com.github.codemonstur:embedded-redis}, extracted under the harness directory.
 *
 * <p>Thread-safe; the lookup runs once per JVM.
 */
public final class RedisBinary {

  /** Environment variable that names the binary to use, overriding every other source. */
  public static final String ENV = "INFERIS_REDIS_SERVER";

  private static final String BUNDLED = "redis-server-6.2.6-v5-linux-amd64";
  private static volatile Path resolved;

  private RedisBinary() {}

  /**
   * Returns a runnable {@code redis-server}.
   *
   * @throws IllegalStateException with instructions when none can be started
   */
  public static Path path() {
    Path p = resolved;
    if (p == null) {
      synchronized (RedisBinary.class) {
        p = resolved;
        if (p == null) {
          p = resolve();
          resolved = p;
          System.out.println("redis-harness: using " + p + " (" + run(p, "--version").trim() + ")");
        }
      }
    }
    return p;
  }

  /** The version the resolved binary reports, e.g. {@code 7.0.15}. */
  public static String version() {
    String out = run(path(), "--version");
    int i = out.indexOf("v=");
    return i < 0 ? out.trim() : out.substring(i + 2).split("\\s")[0];
  }

  /**
   * True when the resolved binary was built with TLS: asked to serve TLS with a certificate file
   * that does not exist, such a build fails configuring TLS (a build without it does not try).
   */
  public static boolean supportsTls() {
    String out;
    try {
      Process p =
          new ProcessBuilder(
                  path().toString(),
                  "--port",
                  "0",
                  "--tls-port",
                  "1",
                  "--tls-auth-clients",
                  "no",
                  "--tls-cert-file",
                  "/nonexistent/inferis-probe.crt",
                  "--tls-key-file",
                  "/nonexistent/inferis-probe.key")
              .redirectErrorStream(true)
              .start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return out.contains("Failed to configure TLS");
  }

  private static Path resolve() {
    List<String> tried = new ArrayList<>();
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      Path candidate = Path.of(env);
      if (runs(candidate)) {
        return candidate;
      }
      throw new IllegalStateException(
          ENV
              + "="
              + env
              + " does not name a runnable redis-server ("
              + run(candidate, "-v")
              + ")");
    }
    String pathVar = System.getenv().getOrDefault("PATH", "");
    for (String dir : pathVar.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        if (runs(candidate)) {
          return candidate;
        }
        tried.add(candidate + " (does not run)");
      }
    }
    tried.add("redis-server on PATH (not found)");
    Path bundled = extractBundled(tried);
    if (bundled != null && runs(bundled)) {
      return bundled;
    }
    throw new IllegalStateException(
        "No runnable redis-server for the tests. Tried: "
            + String.join("; ", tried)
            + ". Install one (Debian/Ubuntu: apt-get install redis-server; macOS: brew install"
            + " redis) or set "
            + ENV
            + " to the path of a redis-server binary.");
  }

  private static Path extractBundled(List<String> tried) {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      tried.add("bundled " + BUNDLED + " (only for linux/amd64, this is " + os + "/" + arch + ")");
      return null;
    }
    Path target = HarnessDirs.root().resolve("bin").resolve(BUNDLED);
    try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(BUNDLED)) {
      if (in == null) {
        tried.add(
            "bundled " + BUNDLED + " (com.github.codemonstur:embedded-redis not on classpath)");
        return null;
      }
      if (!Files.isExecutable(target)) {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), BUNDLED, ".part");
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        tmp.toFile().setExecutable(true);
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      return target;
    } catch (IOException e) {
      tried.add("bundled " + BUNDLED + " (" + e + ")");
      return null;
    }
  }

  /** Extracts the bundled 6.2 binary and returns its path (for running the suite against 6.2). */
  public static Path bundled() {
    List<String> tried = new ArrayList<>();
    Path p = extractBundled(tried);
    if (p == null) {
      throw new IllegalStateException(String.join("; ", tried));
    }
    return p;
  }

  private static boolean runs(Path binary) {
    return run(binary, "--version").contains("Redis server");
  }

  private static String run(Path binary, String arg) {
    try {
      Process p = new ProcessBuilder(binary.toString(), arg).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e.toString();
    }
  }

  /** Prints the resolved path; {@code --bundled} extracts and prints the bundled binary instead. */
  public static void main(String[] args) {
    System.out.println(args.length > 0 && args[0].equals("--bundled") ? bundled() : path());
  }
}
