package io.inferis.server.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureRow;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.features.UnknownFeatureException;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.inferis.server.RowParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code inferis load}: reads a CSV (header row) or JSON-lines file into a feature view in Feast's
 * layout. The whole file is checked first; a file with a bad row writes nothing and exits 2 naming
 * the lines. Then rows are written in batches, with progress and a summary.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = "Load a CSV or JSON-lines file into a feature view (Feast's Redis layout).")
public final class LoadCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin RedisSecurityFlags redisSecurity;

  @Option(
      names = "--redis",
      required = true,
      defaultValue = "${env:INFERIS_REDIS_URL}",
      description = "Redis URL (env INFERIS_REDIS_URL).")
  String redis;

  @Option(
      names = "--repo",
      required = true,
      defaultValue = "${env:INFERIS_REPO}",
      description = "feature_repo.yaml (env INFERIS_REPO).")
  Path repo;

  @Option(names = "--view", required = true, description = "The feature view to write.")
  String view;

  @Option(
      names = "--file",
      required = true,
      description = "Input: *.csv (header row) or *.jsonl / *.json (one object per line).")
  Path file;

  @Option(
      names = "--timestamp-column",
      defaultValue = "event_timestamp",
      description = "Column with each row's event time (default ${DEFAULT-VALUE}).")
  String timestampColumn;

  @Option(
      names = "--batch",
      defaultValue = "500",
      description = "Rows per write batch (default ${DEFAULT-VALUE}).")
  int batch;

  @Override
  public Integer call() throws Exception {
    if (batch < 1 || batch > 100_000) {
      throw new ParameterException(spec.commandLine(), "--batch must be 1-100000, was " + batch);
    }
    if (!Files.isReadable(file)) {
      throw new ParameterException(spec.commandLine(), "cannot read --file " + file);
    }
    FeatureRepo definitions;
    RowParser parser;
    try {
      definitions = FeatureRepo.load(repo);
      parser = new RowParser(definitions, view, timestampColumn);
    } catch (IllegalArgumentException | UnknownFeatureException | IOException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();

    // Pass 1: every row must parse, or nothing is written.
    List<String> problems = new ArrayList<>();
    long[] rows = {0};
    read(parser, row -> rows[0]++, problems);
    if (!problems.isEmpty()) {
      problems.stream().limit(10).forEach(err::println);
      if (problems.size() > 10) {
        err.println("... and " + (problems.size() - 10) + " more");
      }
      err.println("nothing was written: fix the rows above");
      err.flush();
      return 2;
    }

    RedisConnector connector = redisSecurity.connect(spec, redis, RedisOptions.builder());
    long start = System.nanoTime();
    long[] written = {0};
    long[] sent = {0};
    try (connector;
        FeatureStore store =
            FeatureStores.redis(
                definitions,
                connector,
                FeatureStoreOptions.builder().requestDeadline(Duration.ofSeconds(60)).build())) {
      List<FeatureRow> pending = new ArrayList<>(batch);
      Runnable flush =
          () -> {
            if (pending.isEmpty()) {
              return;
            }
            written[0] += store.writeRows(view, pending);
            sent[0] += pending.size();
            pending.clear();
            double secs = (System.nanoTime() - start) / 1e9;
            err.printf(
                Locale.ROOT,
                "\rloaded %d/%d rows (%.0f rows/s)",
                sent[0],
                rows[0],
                sent[0] / Math.max(secs, 1e-3));
            err.flush();
          };
      read(
          parser,
          row -> {
            pending.add(row);
            if (pending.size() >= batch) {
              flush.run();
            }
          },
          problems);
      flush.run();
    }
    err.println();
    out.printf(
        Locale.ROOT,
        "%d rows read, %d written, %d skipped as not newer than stored, into '%s' in %.1f s%n",
        rows[0],
        written[0],
        sent[0] - written[0],
        view,
        (System.nanoTime() - start) / 1e9);
    out.flush();
    return 0;
  }

  private void read(RowParser parser, Consumer<FeatureRow> sink, List<String> problems)
      throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      CsvMapper csv = new CsvMapper();
      try (MappingIterator<Map<String, String>> it =
          csv.readerFor(Map.class)
              .with(CsvSchema.emptySchema().withHeader())
              .readValues(file.toFile())) {
        long line = 1;
        while (it.hasNext()) {
          line++;
          Map<String, String> cells = it.next();
          try {
            sink.accept(parser.fromText(cells));
          } catch (IllegalArgumentException e) {
            problems.add(file + ":" + line + ": " + e.getMessage());
          }
        }
      }
      return;
    }
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String text;
      long line = 0;
      while ((text = r.readLine()) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        try {
          sink.accept(parser.fromJson(json.readTree(text)));
        } catch (IllegalArgumentException e) {
          problems.add(file + ":" + line + ": " + e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          problems.add(file + ":" + line + ": not JSON: " + e.getOriginalMessage());
        }
      }
    }
  }
}
