package io.inferis.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class FeastRepoConfigTest {

  private static final Path DIR = Path.of("/repo");
  private static final Path FILE = DIR.resolve("feature_store.yaml");
  private static final UnaryOperator<String> NO_ENV = name -> null;

  private static FeastRepoConfig parse(String yaml) {
    return FeastRepoConfig.parse(DIR, FILE, yaml, NO_ENV);
  }

  private static String withStore(String store) {
    return "project: p\nregistry: data/registry.db\nonline_store:\n" + store;
  }

  @Test
  void theRealRepositorysFile_readsAsFeastReadsIt() {
    String yaml = new String(RealFeast.bytes("repo/feature_store.yaml"));
    FeastRepoConfig c =
        FeastRepoConfig.parse(DIR, FILE, yaml, Map.of("FEAST_REDIS_PORT", "6390")::get);

    assertThat(c.project()).isEqualTo(RealFeast.PROJECT);
    assertThat(c.registry())
        .isEqualTo(new FeastRepoConfig.FileRegistry(DIR.resolve("data/registry.db")));
    assertThat(c.cacheTtl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.onlineStore().url()).isEqualTo("redis://127.0.0.1:6390");
    assertThat(c.onlineStore().keyTtl()).isNull();
  }

  @Test
  void environmentVariables_areExpandedAsPythonsExpandvars() {
    UnaryOperator<String> env = Map.of("A", "x", "B_C", "y")::get;
    assertThat(FeastRepoConfig.expand("$A ${A} $B_C ${NOPE} $NOPE ${A:-z} $$A $A-1", env))
        .isEqualTo("x x y ${NOPE} $NOPE ${A:-z} $x x-1");
  }

  @Test
  void registryAsAPlainString_isAFileRelativeToTheRepository_withFeastsDefaultTtl() {
    FeastRepoConfig c = parse("project: p\nregistry: data/r.db\n");
    assertThat(c.registry()).isEqualTo(new FeastRepoConfig.FileRegistry(DIR.resolve("data/r.db")));
    assertThat(c.cacheTtl()).isEqualTo(Duration.ofSeconds(600));
    assertThat(c.onlineStore()).isNull();
    assertThat(parse("project: p\nregistry: /abs/r.db\n").registry())
        .isEqualTo(new FeastRepoConfig.FileRegistry(Path.of("/abs/r.db")));
  }

  @Test
  void anSqlRegistry_andAZeroOrNegativeTtl_meaningReadOnce() {
    FeastRepoConfig c =
        parse(
            "project: p\nregistry:\n  registry_type: sql\n"
                + "  path: postgresql://u:pw@h:5432/db\n  cache_ttl_seconds: -1\n");
    assertThat(c.registry())
        .isEqualTo(new FeastRepoConfig.SqlRegistry("postgresql://u:pw@h:5432/db"));
    assertThat(c.cacheTtl()).isZero();
  }

  @Test
  void connectionStrings_ofEveryRedisType() {
    FeastRepoConfig.RedisStore plain =
        parse(withStore("  type: redis\n  connection_string: h:1,db=2,password=\"s3\",ssl=true\n"))
            .onlineStore();
    assertThat(plain.url()).isEqualTo("rediss://h:1/2");
    assertThat(plain.password()).isEqualTo("s3");

    FeastRepoConfig.RedisStore cluster =
        parse(
                withStore(
                    "  type: redis\n  redis_type: redis_cluster\n"
                        + "  connection_string: a:1,b:2,skip_full_coverage_check=true\n"
                        + "  key_ttl_seconds: 3600\n"))
            .onlineStore();
    assertThat(cluster.url()).isEqualTo("redis-cluster://a:1,b:2");
    assertThat(cluster.keyTtl()).isEqualTo(Duration.ofHours(1));

    FeastRepoConfig.RedisStore sentinel =
        parse(
                withStore(
                    "  type: redis\n  redis_type: redis_sentinel\n  sentinel_master: m1\n"
                        + "  connection_string: s1:26379,s2:26380,username=u,password=p\n"))
            .onlineStore();
    assertThat(sentinel.url()).isEqualTo("redis-sentinel://s1:26379,s2:26380/m1");
    assertThat(sentinel.username()).isEqualTo("u");

    assertThat(parse(withStore("  type: redis\n")).onlineStore().url())
        .isEqualTo("redis://localhost:6379");
  }

  @Test
  void unsupportedSettings_failNamingTheSettingAndWhatIsSupported() {
    assertThatThrownBy(() -> parse(withStore("  type: sqlite\n")))
        .isInstanceOf(FeastConfigException.class)
        .hasMessageContaining(FILE.toString())
        .hasMessageContaining("online_store type 'sqlite'")
        .hasMessageContaining("'redis'");
    assertThatThrownBy(() -> parse("project: p\nregistry: s3://bucket/registry.db\n"))
        .hasMessageContaining("s3://")
        .hasMessageContaining("local file or an SQL registry");
    assertThatThrownBy(
            () -> parse("project: p\nregistry:\n  registry_type: snowflake.registry\n  path: x\n"))
        .hasMessageContaining("registry_type 'snowflake.registry'");
    assertThatThrownBy(
            () -> parse("project: p\nregistry: r.db\nentity_key_serialization_version: 2\n"))
        .hasMessageContaining("entity_key_serialization_version 2");
    assertThatThrownBy(
            () -> parse(withStore("  type: redis\n  connection_string: h:1,socket_timeout=3\n")))
        .hasMessageContaining("'socket_timeout'");
    assertThatThrownBy(() -> parse(withStore("  type: redis\n  redis_typo: redis\n")))
        .hasMessageContaining("unknown setting 'redis_typo'");
    assertThatThrownBy(() -> parse(withStore("  type: redis\n  redis_type: memcached\n")))
        .hasMessageContaining("redis_type 'memcached'");
  }

  @Test
  void malformedFiles_failNamingTheFile() {
    assertThatThrownBy(() -> parse("project: [unclosed\n"))
        .isInstanceOf(FeastConfigException.class)
        .hasMessageStartingWith(FILE + ": not valid YAML");
    assertThatThrownBy(() -> parse("just text")).hasMessageContaining("must be a YAML mapping");
    assertThatThrownBy(() -> parse("registry: r.db\n"))
        .hasMessageContaining("'project' is required");
    assertThatThrownBy(() -> parse("project: p\n")).hasMessageContaining("'registry' is required");
    assertThatThrownBy(() -> parse("project: p\nregistry:\n  cache_ttl_seconds: 5\n"))
        .hasMessageContaining("'path' is required");
    assertThatThrownBy(
            () -> parse("project: p\nregistry:\n  path: r.db\n  cache_ttl_seconds: soon\n"))
        .hasMessageContaining("'cache_ttl_seconds' must be an integer");
  }

  @Test
  void anUnreadableFile_failsNamingIt() {
    Path missing = Path.of("/nonexistent/feature_store.yaml");
    assertThatThrownBy(() -> FeastRepoConfig.load(missing.getParent(), missing, NO_ENV))
        .isInstanceOf(FeastConfigException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("cannot be read");
  }
}
