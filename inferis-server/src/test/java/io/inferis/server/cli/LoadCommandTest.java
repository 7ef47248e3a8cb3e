package io.inferis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.feast.FeatureValue;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.features.OnlineFeatures;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class LoadCommandTest {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  @TempDir Path dir;

  private final InProcessCli cli = new InProcessCli();
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  private static final String REPO =
      """
      project: driver_ranking
      entities:
        - {name: driver, join_key: driver_id, value_type: Int64}
      feature_views:
        - name: driver_hourly_stats
          entities: [driver]
          schema:
            - {name: conv_rate, dtype: Float32}
            - {name: avg_daily_trips, dtype: Int64}
            - {name: tags, dtype: Array(String)}
      """;

  private int run(String... args) {
    return cli.run(args);
  }

  /** {@code inferis load} of {@code file} into driver_hourly_stats on the test's Redis. */
  private int load(Path repo, Path file, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "load",
                "--redis",
                redis.get().uri(),
                "--repo",
                repo.toString(),
                "--view",
                "driver_hourly_stats",
                "--file",
                file.toString()));
    args.addAll(List.of(more));
    return run(args.toArray(new String[0]));
  }

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private OnlineFeatures read(long... ids) throws Exception {
    try (RedisConnector c = RedisConnector.connect(redis.get().uri());
        FeatureStore store = FeatureStores.redis(FeatureRepo.load(dir.resolve("repo.yaml")), c)) {
      List<Map<String, FeatureValue>> rows = new java.util.ArrayList<>();
      for (long id : ids) {
        rows.add(Map.of("driver_id", FeatureValue.ofInt64(id)));
      }
      return store.get(
          List.of(
              "driver_hourly_stats:conv_rate",
              "driver_hourly_stats:avg_daily_trips",
              "driver_hourly_stats:tags"),
          rows);
    }
  }

  @Test
  void csv_isLoadedInFeastLayout_withASummary() throws Exception {
    Path repo = write("repo.yaml", REPO);
    Path csv =
        write(
            "rows.csv",
            "driver_id,conv_rate,avg_daily_trips,tags,event_timestamp\n"
                + "1001,0.5,12,\"[\"\"a\"\",\"\"b\"\"]\",2026-11-22T10:00:00Z\n"
                + "1002,0.25,7,[],1795346400\n"
                + "1003,,3,[],2026-11-22 10:00:00\n");
    int code = load(repo, csv, "--batch", "2");
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("3 rows read, 3 written, 0 skipped");
    OnlineFeatures f = read(1001, 1002, 1003);
    assertThat(f.value(0, 0)).isEqualTo(FeatureValue.ofFloat(0.5f));
    assertThat(f.value(0, 2)).isEqualTo(FeatureValue.ofStringList(List.of("a", "b")));
    assertThat(f.value(1, 1)).isEqualTo(FeatureValue.ofInt64(7));
    assertThat(f.value(2, 0).isNull()).isTrue();
  }

  @Test
  void jsonLines_withABadRow_writeNothing_andNameTheLine() throws Exception {
    Path repo = write("repo.yaml", REPO);
    Path jsonl =
        write(
            "rows.jsonl",
            "{\"driver_id\": 1, \"conv_rate\": 0.1, \"event_timestamp\": \"2026-11-22T10:00:00Z\"}\n"
                + "{\"driver_id\": \"two\", \"conv_rate\": 0.2, \"event_timestamp\": \"2026-11-22T10:00:00Z\"}\n"
                + "not json\n");
    int code = load(repo, jsonl);
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("rows.jsonl:2: driver_id")
        .contains("rows.jsonl:3: not JSON")
        .contains("nothing was written");
    assertThat(redis.get().<Long>call(c -> c.dbsize())).isZero();
  }

  @Test
  void badArguments_exitTwo() throws Exception {
    Path repo = write("repo.yaml", REPO);
    assertThat(
            run(
                "load",
                "--redis",
                redis.get().uri(),
                "--repo",
                repo.toString(),
                "--view",
                "ghost",
                "--file",
                repo.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("ghost");
    assertThat(load(repo, dir.resolve("missing.csv"))).isEqualTo(2);
    assertThat(run("load", "--repo", repo.toString())).isEqualTo(2);
  }
}
