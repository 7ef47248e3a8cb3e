package io.inferis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Where the harness keeps its files: {@code -Dinferis.harness.dir} (surefire sets it to {@code
 * target/redis-harness}) or {@code target/redis-harness} under the working directory.
 */
final class HarnessDirs {

  private static final AtomicInteger SEQ = new AtomicInteger();

  private HarnessDirs() {}

  static Path root() {
    String configured = System.getProperty("inferis.harness.dir");
    Path root =
        configured != null
            ? Path.of(configured)
            : Path.of(System.getProperty("user.dir"), "target", "redis-harness");
    return root.toAbsolutePath();
  }

  /** A fresh directory for one server, unique within this JVM and across JVMs. */
  static Path newServerDir(String name) {
    Path dir =
        root()
            .resolve("servers")
            .resolve(ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + "-" + name);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: leftover files under target/ are harmless and removed by mvn clean.
    }
  }
}
