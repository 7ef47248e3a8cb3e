package io.inferis.testing;

import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.awaitility.Awaitility;

/**
 * One real {@code redis-server} process on a loopback port, with its own directory, config and log
 * file, and the fault handles tests need: {@link #kill()} (SIGKILL), {@link #pause()} (SIGSTOP),
 * {@link #resume()} (SIGCONT) and {@link #restart()} on the same port.
 *
 * <p>Every server runs with {@code save ""} and {@code appendonly no}. Not thread-safe: one test
 * drives a node at a time.
 */
public final class RedisNode implements RedisDeployment {

  /** How long a server may take to accept connections after its process starts. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final String name;
  private final int port;
  private final Path dir;
  private final List<String> extraConfig;
  private final boolean sentinel;
  private final RedisSecurity security;
  private Process process;
  private volatile boolean paused;

  private RedisNode(
      String name,
      int port,
      Path dir,
      List<String> extraConfig,
      boolean sentinel,
      RedisSecurity security,
      Process p) {
    this.name = name;
    this.security = security;
    this.port = port;
    this.dir = dir;
    this.extraConfig = extraConfig;
    this.sentinel = sentinel;
    this.process = p;
  }

  /** Starts a standalone server on a free port. */
  public static RedisNode start(String name) {
    return start(name, RedisSecurity.none());
  }

  /** Starts a standalone server on a free port, secured as {@code security} says. */
  public static RedisNode start(String name, RedisSecurity security) {
    return start(name, List.of(), false, false, security);
  }

  static RedisNode start(
      String name, List<String> extraConfig, boolean needsBusPort, boolean sent) {
    return start(name, extraConfig, needsBusPort, sent, RedisSecurity.none());
  }

  /**
   * Starts a server on a free port with extra {@code redis.conf} lines. Retries on another port if
   * the chosen one was taken between the check and the bind.
   */
  static RedisNode start(
      String name,
      List<String> extraConfig,
      boolean needsBusPort,
      boolean sent,
      RedisSecurity security) {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = Ports.reserve(needsBusPort);
      Path dir = HarnessDirs.newServerDir(name + "-" + port);
      RedisNode node =
          new RedisNode(name, port, dir, List.copyOf(extraConfig), sent, security, null);
      try {
        node.launch();
        return node;
      } catch (IllegalStateException e) {
        last = e;
        node.destroyProcess();
        if (!node.logContains("Address already in use")) {
          throw e;
        }
      }
    }
    throw last;
  }

  /** The name given at start, e.g. {@code cluster-2}. */
  public String name() {
    return name;
  }

  /** Always {@code 127.0.0.1}. */
  public String host() {
    return "127.0.0.1";
  }

  /** The TCP port; stable across {@link #restart()}. */
  public int port() {
    return port;
  }

  /**
   * {@code redis://127.0.0.1:<port>}; for a secured server {@code rediss://} and/or the ACL user's
   * credentials (see {@link RedisSecurity}).
   */
  @Override
  public String uri() {
    return security.urlPrefix(false) + host() + ":" + port;
  }

  @Override
  public RedisSecurity security() {
    return security;
  }

  /**
   * A Lettuce URI with a short timeout, for admin use (the default user's password and TLS when the
   * server is secured; such a URI needs the harness's TLS admin client).
   */
  public RedisURI redisUri() {
    return security.adminUri(host(), port);
  }

  /** The server's working directory (config, log, cluster state). */
  public Path dir() {
    return dir;
  }

  /** The server's log file; kept for failed tests. */
  public Path logFile() {
    return dir.resolve("redis.log");
  }

  /** The OS process id of the running server, or -1 when it is not running. */
  public long pid() {
    return process != null && process.isAlive() ? process.pid() : -1;
  }

  /** True while the process exists (even when paused). */
  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** True between {@link #pause()} and {@link #resume()}. */
  public boolean isPaused() {
    return paused;
  }

  /** SIGKILL: the process dies at once, without saving anything or telling its peers. */
  public void kill() {
    destroyProcess();
  }

  /** SIGSTOP: the process stays, holds its sockets, and answers nothing until {@link #resume()}. */
  public void pause() {
    signal("STOP");
    paused = true;
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() {
    signal("CONT");
    paused = false;
  }

  /** Kills the server if it runs, then starts it again on the same port and directory. */
  public void restart() {
    destroyProcess();
    launch();
  }

  /** Runs {@code fn} on a short-lived admin connection to this node. */
  public <T> T call(Function<RedisCommands<String, String>, T> fn) {
    try (StatefulRedisConnection<String, String> c = security.adminClient().connect(redisUri())) {
      return fn.apply(c.sync());
    }
  }

  /** Runs {@code fn} on a short-lived admin connection with raw byte keys and values. */
  public <T> T withBinary(Function<RedisCommands<byte[], byte[]>, T> fn) {
    try (StatefulRedisConnection<byte[], byte[]> c =
        security.adminClient().connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE, redisUri())) {
      return fn.apply(c.sync());
    }
  }

  /** Every key matching {@code pattern} on the node {@code c} talks to, by SCAN (never KEYS). */
  public static List<String> scanKeys(RedisCommands<String, String> c, String pattern) {
    List<String> keys = new ArrayList<>();
    ScanIterator.scan(c, ScanArgs.Builder.matches(pattern).limit(1000)).forEachRemaining(keys::add);
    return keys;
  }

  /** {@code INFO <section>} parsed into fields. */
  public Map<String, String> info(String section) {
    return Admin.parseInfo(call(c -> c.info(section)));
  }

  /** {@code connected_clients} from {@code INFO clients}, minus the admin connection that asked. */
  public int connectedClients() {
    return Integer.parseInt(info("clients").get("connected_clients")) - 1;
  }

  /** This node alone. */
  @Override
  public List<RedisNode> nodes() {
    return List.of(this);
  }

  @Override
  public boolean isUsable() {
    return isRunning() && !paused && ping();
  }

  /** Deletes every key. */
  @Override
  public void flushAll() {
    call(RedisCommands::flushall);
  }

  /** Answers PING within the admin timeout. */
  public boolean ping() {
    try {
      return "PONG".equals(call(RedisCommands::ping));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The last lines of the log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Kills the process; the directory stays until {@link #deleteFiles()}. */
  @Override
  public void close() {
    destroyProcess();
  }

  /** Removes the server's directory (only after {@link #close()}). */
  void deleteFiles() {
    HarnessDirs.deleteRecursively(dir);
  }

  @Override
  public String toString() {
    return name + "@" + port;
  }

  private void launch() {
    Path conf = dir.resolve(sentinel ? "sentinel.conf" : "redis.conf");
    if (!Files.exists(conf)) {
      writeConfig(conf);
    }
    List<String> cmd = new ArrayList<>(List.of(RedisBinary.path().toString(), conf.toString()));
    if (sentinel) {
      cmd.add("--sentinel");
    }
    try {
      process =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("stdout.log").toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + cmd, e);
    }
    ProcessReaper.get().track(process, "redis");
    paused = false;
    try {
      Awaitility.await("redis " + this + " accepts connections")
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(20))
          .pollInSameThread()
          .until(() -> !process.isAlive() || ping());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // Reported below with the log.
    }
    if (!process.isAlive() || !ping()) {
      throw new IllegalStateException(
          "redis-server " + this + " did not start; log " + logFile() + ":\n" + logTail());
    }
  }

  private void writeConfig(Path conf) {
    List<String> lines = new ArrayList<>();
    lines.addAll(security.serverConfig(port));
    lines.add("bind 127.0.0.1");
    lines.add("protected-mode no");
    lines.add("daemonize no");
    lines.add("dir " + dir);
    lines.add("logfile " + logFile());
    if (!sentinel) {
      lines.add("save \"\"");
      lines.add("appendonly no");
    }
    lines.addAll(extraConfig);
    try {
      Files.write(conf, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void destroyProcess() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server " + this + " did not die after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ProcessReaper.get().forget(p);
    paused = false;
  }

  private void signal(String sig) {
    long pid = pid();
    if (pid < 0) {
      throw new IllegalStateException("redis-server " + this + " is not running");
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + sig + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private boolean logContains(String text) {
    try {
      return Files.readString(logFile(), StandardCharsets.UTF_8).contains(text)
          || Files.readString(dir.resolve("stdout.log"), StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false;
    }
  }
}
