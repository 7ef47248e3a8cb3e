package io.inferis.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load tool's run ({@code wrk}, {@code h2load}) under bash, whose {@code times} then prints the
 * tool's user and system CPU: what it printed, and the CPU it spent on the cores the server uses.
 *
 * @param out the tool's output, standard error included
 * @param cpuSeconds the tool's user + system CPU; NaN if bash did not report it
 */
record ToolRun(String out, double cpuSeconds) {

  private static final Pattern TIMES = Pattern.compile("(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s\\s*$");

  /** Runs {@code tool} with {@code args} to its end. */
  static ToolRun of(String tool, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", "-c", tool + " \"$@\"; times", tool));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    // `times` prints the shell's and then its children's (the tool's) user and system CPU.
    Matcher times = TIMES.matcher(out);
    double cpu =
        times.find()
            ? Integer.parseInt(times.group(1)) * 60
                + Double.parseDouble(times.group(2))
                + Integer.parseInt(times.group(3)) * 60
                + Double.parseDouble(times.group(4))
            : Double.NaN;
    return new ToolRun(out, cpu);
  }

  /**
   * A duration the tools print as a number and a unit ({@code us}, {@code ms}, {@code s}), in ms.
   */
  static double millis(String value, String unit) {
    double v = Double.parseDouble(value);
    return switch (unit) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }
}
