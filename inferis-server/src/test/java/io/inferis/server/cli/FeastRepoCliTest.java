package io.inferis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.registry.RealFeast;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inferis registry} on the real repository, and the configurations {@code serve
 * --feast-repo} refuses: exit 2, a message naming the file and the problem, never a stack trace.
 */
class FeastRepoCliTest {

  @TempDir Path tmp;

  private final InProcessCli cli = new InProcessCli();

  private void assertRefused(String... args) {
    assertThat(cli.run(args)).as(cli.err.toString()).isEqualTo(2);
    assertThat(cli.err.toString()).doesNotContain("\tat ").doesNotContain("Exception:");
  }

  @Test
  void registry_showsWhatInferisServesFromTheRealRepository() {
    Path repo = RealFeast.copyRepo(tmp);

    assertThat(cli.run("registry", "--feast-repo", repo.toString())).isZero();

    assertThat(cli.out.toString())
        .contains("project feast_oracle")
        .contains("driver_id (INT64)")
        .contains("driver_hourly_stats  entities [driver], ttl PT1H")
        .contains("conv_rate")
        .contains("driver_activity")
        .contains("driver_stats_push -> driver_hourly_stats");
  }

  @Test
  void aMalformedYaml_isRefusedNamingTheFile() throws Exception {
    Path repo = RealFeast.copyRepo(tmp);
    Files.writeString(
        repo.resolve("feature_store.yaml"), "project: [oops\n", StandardCharsets.UTF_8);

    assertRefused("serve", "--feast-repo", repo.toString(), "--port", "0");
    assertThat(cli.err.toString()).contains("feature_store.yaml").contains("not valid YAML");
  }

  @Test
  void aRegistryOfAnotherProject_isRefused() throws Exception {
    Path repo = RealFeast.copyRepo(tmp);
    Path yaml = repo.resolve("feature_store.yaml");
    Files.writeString(
        yaml,
        Files.readString(yaml).replace("project: feast_oracle", "project: other"),
        StandardCharsets.UTF_8);

    assertRefused("serve", "--feast-repo", repo.toString(), "--port", "0");
    assertThat(cli.err.toString())
        .contains("registry.db")
        .contains("holds nothing of project 'other'");
  }

  @Test
  void aFileThatIsNotARegistry_isRefused() throws Exception {
    Path repo = RealFeast.copyRepo(tmp);
    Files.writeString(repo.resolve("data/registry.db"), "hello", StandardCharsets.UTF_8);

    assertRefused("registry", "--feast-repo", repo.toString());
    assertThat(cli.err.toString()).contains("registry.db");
  }

  @Test
  void anUnreachableSqlRegistry_isRefusedWithoutItsPassword() throws Exception {
    Path repo = RealFeast.copyRepo(tmp);
    Files.writeString(
        repo.resolve("feature_store.yaml"),
        "project: feast_oracle\nregistry:\n  registry_type: sql\n"
            + "  path: postgresql://feast:secret@127.0.0.1:1/registry\n"
            + "online_store:\n  type: redis\n  connection_string: 127.0.0.1:1\n",
        StandardCharsets.UTF_8);

    assertRefused("serve", "--feast-repo", repo.toString(), "--port", "0");
    assertThat(cli.err.toString())
        .contains("postgresql://feast:***@127.0.0.1:1/registry")
        .doesNotContain("secret");
  }

  @Test
  void unsupportedSettings_andMissingDirectories_areRefused() throws Exception {
    Path repo = RealFeast.copyRepo(tmp);
    Files.writeString(
        repo.resolve("other.yaml"),
        "project: feast_oracle\nregistry: data/registry.db\nonline_store:\n  type: dynamodb\n",
        StandardCharsets.UTF_8);

    assertRefused("serve", "--feast-repo", repo.toString(), "--feast-config", "other.yaml");
    assertThat(cli.err.toString()).contains("online_store type 'dynamodb'");
    assertRefused("serve", "--feast-repo", tmp.resolve("nope").toString());
    assertRefused("serve", "--feast-repo", repo.toString(), "--demo");
    assertRefused("serve", "--feast-repo", repo.toString(), "--statuses", "fancy");
  }
}
