package io.inferis.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inferis bench}: runs an inferis-bench scenario side by side with its baselines (each
 * starts its own redis-server). The benchmarks live in their own jar, {@code
 * inferis-bench/target/benchmarks.jar}, built with {@code ./mvnw -q -DskipTests package}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Run a benchmark scenario against its baselines (figures: docs/BENCHMARKS.md).",
      "Scenarios: lookup (feature lookups vs naive, Feast-Java-style and ceiling clients),",
      "window (atomic append vs ZADD+EXPIRE), monitoring (recorder vs ZADD+EXPIRE),",
      "http (HTTP /get-online-features vs direct calls; needs wrk),",
      "wire (direct calls, HTTP on Redis and in memory, gRPC,",
      "and the servers' health calls side by side; needs wrk and h2load)."
    })
public final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "lookup, window, monitoring, http or wire")
  String scenario;

  @Option(
      names = "--seconds",
      defaultValue = "5",
      description = "Measured seconds per client (lookup, http, wire; default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--jar",
      defaultValue = "${env:INFERIS_HOME:-.}/inferis-bench/target/benchmarks.jar",
      description = "The benchmarks jar (default ${DEFAULT-VALUE}).")
  Path jar;

  @Override
  public Integer call() throws Exception {
    if (seconds < 1 || seconds > 3600) {
      throw new ParameterException(spec.commandLine(), "--seconds must be 1-3600, was " + seconds);
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    switch (scenario) {
      case "lookup" ->
          cmd.addAll(
              List.of(
                  "-cp",
                  jar.toString(),
                  "io.inferis.bench.LookupLoad",
                  "--seconds",
                  Integer.toString(seconds)));
      case "http" ->
          cmd.addAll(
              List.of(
                  "-cp",
                  jar.toString(),
                  "io.inferis.bench.HttpOverheadLoad",
                  "--seconds",
                  Integer.toString(seconds)));
      case "wire" ->
          cmd.addAll(
              List.of(
                  "-cp",
                  jar.toString(),
                  "io.inferis.bench.WireLoad",
                  "--seconds",
                  Integer.toString(seconds)));
      case "window" -> cmd.addAll(List.of("-jar", jar.toString(), "WindowAppendBench"));
      case "monitoring" -> cmd.addAll(List.of("-jar", jar.toString(), "Monitoring(Memory)?Bench"));
      default ->
          throw new ParameterException(
              spec.commandLine(),
              "unknown scenario '" + scenario + "' (lookup, window, monitoring, http, wire)");
    }
    if (!Files.isReadable(jar)) {
      throw new ParameterException(
          spec.commandLine(),
          "no benchmarks jar at " + jar + "; build it with ./mvnw -q -DskipTests package");
    }
    return new ProcessBuilder(cmd).inheritIO().start().waitFor();
  }
}
