package io.inferis.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} package) that a test starts on a free
 * loopback port in a directory of its own, with trust authentication for user {@code postgres}, and
 * stops afterwards; never the machine's own server. Binaries: {@code $INFERIS_POSTGRES_BIN}, else
 * the newest {@code /usr/lib/postgresql/<version>/bin}. As root (CI), the server runs as the {@code
 * postgres} user, which PostgreSQL requires, through {@code setpriv} (which execs, so the process
 * the harness tracks is the server itself).
 */
public final class PostgresServer implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final int port;
  private final Process process;

  private PostgresServer(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Initialises and starts a server named {@code name}. */
  public static PostgresServer start(String name) {
    Path bin = binaries();
    Path dir = HarnessDirs.newServerDir("postgres-" + name);
    Path data = dir.resolve("data");
    int port = Ports.reserve(false);
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Files.createDirectories(data);
      if (root) {
        run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
      }
      run(
          asServerUser(
              root,
              List.of(
                  bin.resolve("initdb").toString(),
                  "-D",
                  data.toString(),
                  "-U",
                  "postgres",
                  "-A",
                  "trust",
                  "-E",
                  "UTF8",
                  "--no-sync")));
      List<String> cmd =
          asServerUser(
              root,
              List.of(
                  bin.resolve("postgres").toString(),
                  "-D",
                  data.toString(),
                  "-p",
                  Integer.toString(port),
                  "-c",
                  // TCP only: a socket path under a deep build directory exceeds the 107-byte limit
                  "unix_socket_directories=",
                  "-c",
                  "listen_addresses=127.0.0.1",
                  "-c",
                  "fsync=off",
                  "-c",
                  "max_connections=50"));
      Process process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("postgres.log").toFile())
              .start();
      ProcessReaper.get().track(process, "postgres -D " + data);
      PostgresServer server = new PostgresServer(dir, port, process);
      Awaitility.await("postgres " + name + " accepts connections")
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> !process.isAlive() || server.accepts());
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "postgres did not start; log " + dir.resolve("postgres.log") + ":\n" + server.log());
      }
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start postgres in " + dir, e);
    }
  }

  private static List<String> asServerUser(boolean root, List<String> cmd) {
    if (!root) {
      return cmd;
    }
    List<String> out =
        new ArrayList<>(
            List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    out.addAll(cmd);
    return out;
  }

  private static void run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(cmd + " failed:\n" + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(cmd + " interrupted", e);
    }
  }

  private static Path binaries() {
    String env = System.getenv("INFERIS_POSTGRES_BIN");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path base = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(base)) {
      try (Stream<Path> versions = Files.list(base)) {
        Path newest =
            versions
                .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                .max(Comparator.comparingInt(PostgresServer::major))
                .orElse(null);
        if (newest != null) {
          return newest.resolve("bin");
        }
      } catch (IOException e) {
        // Reported below.
      }
    }
    throw new IllegalStateException(
        "no PostgreSQL binaries: install Debian's postgresql package (apt-get install postgresql)"
            + " or set INFERIS_POSTGRES_BIN to a directory holding initdb and postgres");
  }

  private static int major(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private boolean accepts() {
    try (Connection c = connect("postgres")) {
      return c.isValid(1);
    } catch (SQLException e) {
      return false;
    }
  }

  /** A JDBC connection to {@code database} as {@code postgres}. */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
  }

  /** The JDBC URL of {@code database}. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The URL Feast (SQLAlchemy) would be given for {@code database}. */
  public String sqlalchemyUrl(String database) {
    return "postgresql+psycopg://postgres@127.0.0.1:" + port + "/" + database;
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("postgres.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** Stops the server (fast shutdown) and waits for it. */
  @Override
  public void close() {
    // SIGINT: PostgreSQL's fast shutdown, which ends the backends too.
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
    ProcessReaper.get().forget(process);
    HarnessDirs.deleteRecursively(dir);
  }
}
