package io.inferis.bench;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What one run of {@link LookupLoad} measures and how, parsed from its command-line options ({@link
 * Options}).
 *
 * @param seconds measured seconds per client and round
 * @param concurrency requests each client keeps in flight (threads of a blocking client, in-flight
 *     slots of an async one)
 * @param topologies {@code standalone} and/or {@code cluster}
 * @param scenarios {@code a}, {@code b} and/or {@code c} ({@link Scenario#named})
 * @param clients which clients run (a set: they run in the order of {@link #CLIENTS})
 * @param out where the markdown table is written
 * @param rounds every client of a scenario runs this many times, in turns, and the table shows each
 *     one's medians. This machine's speed drifts by up to 2x within minutes (hypervisor steal);
 *     turns expose both sides of a ratio to the same drift.
 * @param warmupRounds rounds of every client that run first and are not counted. The clients share
 *     Lettuce, so whichever runs first also compiles Lettuce's code for the others; a warm-up round
 *     has every client compiled before any is measured.
 * @param warmupSeconds the warm-up of each client's first run in the JVM (later runs warm up for 2
 *     s)
 * @param rate the blocking clients (inferis, feast-java-style, naive) offer this many lookups/s in
 *     all instead of running flat out, so their p99s compare at equal load; 0 runs closed loop
 * @param together with a rate, the paced clients run at the same time, each offered the rate from
 *     its own threads, and each round compares them over the same seconds. On a machine whose
 *     stalls come and go (steal, the other process's bursts), clients measured one after the other
 *     see different stalls, and their p99s differ by whichever met the worse ones; at once, both
 *     meet the same ones.
 * @param hot requests draw their entities from the first this many of the data set (hot entities,
 *     where coalesced reads pay)
 */
public record LookupLoadConfig(
    double seconds,
    int concurrency,
    List<String> topologies,
    List<String> scenarios,
    List<String> clients,
    Path out,
    int rounds,
    int warmupRounds,
    double warmupSeconds,
    int rate,
    boolean together,
    int hot) {

  /** Every client {@code --clients} names, in the order they run within a scenario. */
  static final List<String> CLIENTS =
      List.of(
          "inferis-async",
          "inferis-async-coalesced",
          "inferis",
          "feast-java",
          "naive",
          "ceiling",
          "redis-benchmark");

  static final List<String> TOPOLOGIES = List.of("standalone", "cluster");

  /** Checks every setting; the messages name the options. */
  public LookupLoadConfig {
    topologies = List.copyOf(topologies);
    scenarios = List.copyOf(scenarios);
    clients = List.copyOf(clients);
    check(Double.isFinite(seconds) && seconds > 0, "--seconds must be above 0, was " + seconds);
    check(concurrency >= 1, "--concurrency must be at least 1, was " + concurrency);
    checkAmong("--topologies", topologies, TOPOLOGIES);
    checkAmong("--scenarios", scenarios, Scenario.NAMES);
    checkAmong("--clients", clients, CLIENTS);
    check(rounds >= 1, "--rounds must be at least 1, was " + rounds);
    check(warmupRounds >= 0, "--warmup-rounds must be 0 or more, was " + warmupRounds);
    check(
        Double.isFinite(warmupSeconds) && warmupSeconds >= 0,
        "--warmup must be 0 or more seconds, was " + warmupSeconds);
    check(rate >= 0, "--rate must be 0 (closed loop) or more, was " + rate);
    check(!together || rate > 0, "--together needs --rate: only paced clients run together");
    check(
        hot >= 1 && hot <= BenchData.ENTITIES,
        "--hot must be 1-" + BenchData.ENTITIES + ", was " + hot);
  }

  /** Whether {@code client} (a {@link #CLIENTS} name) is to run. */
  boolean runs(String client) {
    return clients.contains(client);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  private static void checkAmong(String option, List<String> values, List<String> known) {
    check(!values.isEmpty(), option + " names none of " + String.join(",", known));
    for (String v : values) {
      check(known.contains(v), option + ": unknown '" + v + "' (" + String.join(",", known) + ")");
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
        description = "Measured seconds per client and round (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
        names = "--concurrency",
        paramLabel = "N",
        defaultValue = "64",
        description = "Requests each client keeps in flight (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
        names = "--topologies",
        paramLabel = "TOPOLOGY",
        split = ",",
        defaultValue = "standalone,cluster",
        description = "standalone and/or cluster (default ${DEFAULT-VALUE}).")
    List<String> topologies;

    @Option(
        names = "--scenarios",
        paramLabel = "SCENARIO",
        split = ",",
        defaultValue = "a,b,c",
        description =
            "a (1 entity x 10 features), b (1 x 250), c (100 x 250) (default ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Option(
        names = "--clients",
        paramLabel = "CLIENT",
        split = ",",
        defaultValue = "inferis-async,inferis,feast-java,naive,ceiling,redis-benchmark",
        description =
            "Any of inferis-async, inferis-async-coalesced, inferis, feast-java, naive, ceiling,"
                + " redis-benchmark; they run in that order (default ${DEFAULT-VALUE}).")
    List<String> clients;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        defaultValue = "target/lookup-bench.md",
        description = "The markdown table's file (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(
        names = "--rounds",
        paramLabel = "N",
        defaultValue = "1",
        description =
            "Every client runs this many times, in turns; the table shows medians (default"
                + " ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
        names = "--warmup-rounds",
        paramLabel = "N",
        defaultValue = "0",
        description = "Uncounted rounds of every client first (default ${DEFAULT-VALUE}).")
    int warmupRounds;

    @Option(
        names = "--warmup",
        paramLabel = "SECONDS",
        defaultValue = "20",
        description =
            "Warm-up seconds of each client's first run; later runs warm up 2 s (default"
                + " ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(
        names = "--rate",
        paramLabel = "LOOKUPS_PER_S",
        defaultValue = "0",
        description =
            "Pace inferis, feast-java and naive at this many lookups/s in all; 0: closed loop"
                + " (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(
        names = "--together",
        paramLabel = "BOOLEAN",
        arity = "0..1",
        defaultValue = "false",
        fallbackValue = "true",
        description = "With --rate, run the paced clients at the same time (default false).")
    boolean together;

    @Option(
        names = "--hot",
        paramLabel = "N",
        defaultValue = "1000",
        description = "Requests draw entities from the first N of 1000 (default ${DEFAULT-VALUE}).")
    int hot;

    /** The config, or a {@link ParameterException} (exit code 2) naming the bad option. */
    LookupLoadConfig toConfig() {
      try {
        return new LookupLoadConfig(
            seconds,
            concurrency,
            topologies,
            scenarios,
            clients,
            out,
            rounds,
            warmupRounds,
            warmupSeconds,
            rate,
            together,
            hot);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }
}
