package io.inferis.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM running a {@code main} class from the test classpath, for tests that must kill a
 * real process (SIGKILL leaves no chance for shutdown hooks or finally blocks). Its stdout lines
 * are readable with {@link #awaitLine}; it is reaped like every harness process.
 */
public final class JavaProcess implements AutoCloseable {

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(100_000);
  private final StringBuffer transcript = new StringBuffer();

  private JavaProcess(Process process) {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.offer(line);
                  if (transcript.length() < 10_000_000) {
                    transcript.append(line).append('\n');
                  }
                }
              } catch (IOException e) {
                // The process died; its output ends here.
              }
            },
            "java-process-stdout-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code java -cp <this classpath> mainClass args...}; stderr goes to stdout. */
  public static JavaProcess start(Class<?> mainClass, String... args) {
    return start(java.util.Map.of(), mainClass, args);
  }

  /**
   * As {@link #start(Class, String...)}, with {@code env} added to this JVM's environment (for
   * settings a program must read from the environment, such as passwords).
   */
  public static JavaProcess start(
      java.util.Map<String, String> env, Class<?> mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    if (System.getProperty("inferis.harness.dir") != null) {
      cmd.add("-Dinferis.harness.dir=" + System.getProperty("inferis.harness.dir"));
    }
    cmd.add(mainClass.getName());
    cmd.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      ProcessReaper.get().track(p, mainClass.getName());
      return new JavaProcess(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the next stdout line that starts with {@code prefix} and returns it. */
  public String awaitLine(String prefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
        if (line == null) {
          throw new IllegalStateException(
              "no line starting with '"
                  + prefix
                  + "' within "
                  + timeout
                  + " (alive="
                  + isAlive()
                  + ")");
        }
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The child JVM's pid. */
  public long pid() {
    return process.pid();
  }

  /** True while the JVM runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, then waits for the process to be gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ProcessReaper.get().forget(process);
  }

  /** SIGTERM (shutdown hooks run), then waits up to {@code timeout} for the exit code. */
  public int terminate(Duration timeout) {
    process.destroy();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "JVM " + process.pid() + " did not exit within " + timeout + " of SIGTERM");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    ProcessReaper.get().forget(process);
    return process.exitValue();
  }

  /** Everything the process printed so far (first 10 MB), whether or not a test read it. */
  public String transcript() {
    return transcript.toString();
  }

  /** Every stdout line read so far that starts with {@code prefix} (drains them). */
  public java.util.List<String> drainLines(String prefix) {
    java.util.List<String> out = new java.util.ArrayList<>();
    String line;
    while ((line = lines.poll()) != null) {
      if (line.startsWith(prefix)) {
        out.add(line);
      }
    }
    return out;
  }

  @Override
  public void close() {
    kill();
  }
}
