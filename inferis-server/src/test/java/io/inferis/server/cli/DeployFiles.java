package io.inferis.server.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The files the project ships under {@code deploy/}, and the metric names they use. */
final class DeployFiles {

  /** The Prometheus alert rules. */
  static final Path ALERTS = root().resolve("deploy/prometheus/alerts.yml");

  /** The Grafana dashboard. */
  static final Path GRAFANA = root().resolve("deploy/grafana/inferis.json");

  private static final Pattern METRIC = Pattern.compile("\\b((?:inferis|feast)_[a-z0-9_]+)\\b");

  private DeployFiles() {}

  /** Every {@code inferis_...} or {@code feast_...} name in {@code file}. */
  static Set<String> metricNames(Path file) {
    try {
      Set<String> names = new TreeSet<>();
      Matcher m = METRIC.matcher(Files.readString(file));
      while (m.find()) {
        names.add(m.group(1));
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The project's root: the first directory upwards that holds {@code deploy/}. */
  private static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("deploy"))) {
        return p;
      }
    }
    throw new IllegalStateException("no deploy/ above " + Path.of("").toAbsolutePath());
  }
}
