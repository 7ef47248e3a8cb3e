package io.inferis.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes sure no process the harness started outlives the test JVM, however that JVM ends.
 *
 * <ul>
 *   <li>Normal exit or SIGTERM/SIGINT: a shutdown hook kills every live process.
 *   <li>SIGKILL of the JVM: a watchdog {@code sh} reads the JVM's pipe; when the pipe closes it
 *       kills every process still listed in this JVM's pid directory.
 *   <li>Anything that escaped both (e.g. the machine lost power mid-run): pid files of JVMs that
 *       are gone are reaped when the next harness starts.
 * </ul>
 *
 * A pid is only killed if its command line still names the program the harness started, so a
 * recycled pid is never touched.
 */
final class ProcessReaper {

  private static final ProcessReaper INSTANCE = new ProcessReaper();

  private final Set<Process> live = ConcurrentHashMap.newKeySet();
  private final Path pidDir;
  private volatile OutputStream watchdogPipe;

  private ProcessReaper() {
    Path pids = HarnessDirs.root().resolve("pids");
    this.pidDir = pids.resolve(Long.toString(ProcessHandle.current().pid()));
    try {
      Files.createDirectories(pidDir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + pidDir, e);
    }
    reapOrphans(pids);
    startWatchdog();
    Runtime.getRuntime().addShutdownHook(new Thread(this::killAll, "redis-harness-reaper"));
  }

  static ProcessReaper get() {
    return INSTANCE;
  }

  /** Tracks a started process until {@link #forget} or JVM exit. */
  void track(Process process, String programMarker) {
    live.add(process);
    try {
      Files.writeString(
          pidDir.resolve(process.pid() + ".pid"),
          process.pid() + "\n" + programMarker + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write pid file in " + pidDir, e);
    }
  }

  /** Stops tracking a process that has exited. */
  void forget(Process process) {
    live.remove(process);
    try {
      Files.deleteIfExists(pidDir.resolve(process.pid() + ".pid"));
    } catch (IOException e) {
      // A stale pid file is checked against the command line before any kill; harmless.
    }
  }

  private void killAll() {
    for (Process p : live) {
      p.destroyForcibly();
    }
    for (Process p : live) {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      forget(p);
    }
    HarnessDirs.deleteRecursively(pidDir);
  }

  private void startWatchdog() {
    // The loop ends when the JVM's end of the pipe closes, however the JVM died.
    String script =
        "cat >/dev/null; for f in \"$1\"/*.pid; do [ -f \"$f\" ] || continue;"
            + " p=$(head -n1 \"$f\"); m=$(sed -n 2p \"$f\");"
            + " if tr '\\0' ' ' </proc/$p/cmdline 2>/dev/null | grep -qF -- \"$m\"; then"
            + " kill -9 $p 2>/dev/null; fi; rm -f \"$f\"; done; rmdir \"$1\" 2>/dev/null; exit 0";
    try {
      Process watchdog =
          new ProcessBuilder("sh", "-c", script, "redis-harness-watchdog", pidDir.toString())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      watchdogPipe = watchdog.getOutputStream();
    } catch (IOException e) {
      // No sh (not a Unix): the shutdown hook and the orphan sweep still apply.
      watchdogPipe = null;
    }
  }

  private static void reapOrphans(Path pids) {
    try (DirectoryStream<Path> jvms = Files.newDirectoryStream(pids)) {
      for (Path jvmDir : jvms) {
        long jvmPid = parsePid(jvmDir.getFileName().toString());
        if (jvmPid < 0 || ProcessHandle.of(jvmPid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(jvmDir, "*.pid")) {
          for (Path f : files) {
            killIfStillOurs(f);
          }
        }
        HarnessDirs.deleteRecursively(jvmDir);
      }
    } catch (IOException e) {
      // Nothing to reap.
    }
  }

  private static void killIfStillOurs(Path pidFile) throws IOException {
    var lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    if (lines.size() < 2) {
      return;
    }
    long pid = parsePid(lines.get(0));
    String marker = lines.get(1);
    Optional<ProcessHandle> handle = pid < 0 ? Optional.empty() : ProcessHandle.of(pid);
    handle
        .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .ifPresent(ProcessHandle::destroyForcibly);
  }

  private static long parsePid(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
