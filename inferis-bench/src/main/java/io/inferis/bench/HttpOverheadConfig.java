package io.inferis.bench;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What one run of {@link HttpOverheadLoad} measures, parsed from its command-line options ({@link
 * Options}).
 *
 * @param seconds measured seconds per path and round ({@code wrk} runs whole seconds: rounded up)
 * @param rounds rounds in which every path runs once, in turns
 * @param paths which paths run, in this order: {@code direct}, {@code http1}, {@code http2}; the
 *     ratio column divides by the first, so it needs {@code direct} first
 * @param out where the markdown table is written
 */
public record HttpOverheadConfig(double seconds, int rounds, List<String> paths, Path out) {

  static final List<String> PATHS = List.of("direct", "http1", "http2");

  /** Checks every setting; the messages name the options. */
  public HttpOverheadConfig {
    paths = List.copyOf(paths);
    if (!(Double.isFinite(seconds) && seconds > 0)) {
      throw new IllegalArgumentException("--seconds must be above 0, was " + seconds);
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be at least 1, was " + rounds);
    }
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("--paths names none of " + String.join(",", PATHS));
    }
    for (String p : paths) {
      if (!PATHS.contains(p)) {
        throw new IllegalArgumentException(
            "--paths: unknown '" + p + "' (" + String.join(",", PATHS) + ")");
      }
    }
  }

  /** The options (a picocli mixin), with today's defaults. */
  static final class Options {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
        names = "--seconds",
        paramLabel = "SECONDS",
        defaultValue = "5",
        description = "Measured seconds per path and round (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
        names = "--rounds",
        paramLabel = "N",
        defaultValue = "3",
        description =
            "Rounds of every path, in turns; the table shows medians (default"
                + " ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
        names = "--paths",
        paramLabel = "PATH",
        split = ",",
        defaultValue = "direct,http1,http2",
        description =
            "Some of direct, http1, http2 (for a profile of one); the ratio column needs direct"
                + " first (default ${DEFAULT-VALUE}).")
    List<String> paths;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        defaultValue = "target/http-overhead.md",
        description = "The markdown table's file (default ${DEFAULT-VALUE}).")
    Path out;

    /** The config, or a {@link ParameterException} (exit code 2) naming the bad option. */
    HttpOverheadConfig toConfig() {
      try {
        return new HttpOverheadConfig(seconds, rounds, paths, out);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }
}
