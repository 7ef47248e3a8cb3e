package io.inferis.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferis.registry.internal.proto.Registry;
import io.inferis.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feast's SQL registry, in SQLite and in a real PostgreSQL server the test starts, holding the
 * objects of the real registry file: read, it gives what the file gives.
 */
class SqlRegistrySourceTest {

  @TempDir Path tmp;

  private static Registry realRegistry() throws Exception {
    return RealFeast.registry();
  }

  private FeastRegistry fromFile() {
    return new FileRegistrySource(
            RealFeast.copyRepo(tmp).resolve("data/registry.db"), RealFeast.PROJECT)
        .read();
  }

  private static void assertSameServing(FeastRegistry actual, FeastRegistry expected) {
    assertThat(actual.project()).isEqualTo(expected.project());
    assertThat(actual.repo().entities())
        .containsExactlyInAnyOrderElementsOf(expected.repo().entities());
    assertThat(actual.repo().views()).containsExactlyInAnyOrderElementsOf(expected.repo().views());
    assertThat(actual.featureServices()).isEqualTo(expected.featureServices());
    assertThat(actual.pushSources()).isEqualTo(expected.pushSources());
    assertThat(actual.writeSchemas()).isEqualTo(expected.writeSchemas());
    assertThat(actual.unservable()).isEqualTo(expected.unservable());
  }

  @Test
  void anSqliteRegistry_readsAsTheFileRegistry_withAPathRelativeToTheRepository() throws Exception {
    Path db = tmp.resolve("registry.sqlite");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      SqlRegistryWriter.write(c, realRegistry(), RealFeast.PROJECT, false);
    }
    SqlRegistrySource source =
        new SqlRegistrySource(
            SqlRegistrySource.jdbc("sqlite:///registry.sqlite", tmp), RealFeast.PROJECT);

    assertSameServing(source.read(), fromFile());
    assertThat(source.describe()).isEqualTo("sqlite:///" + db);
  }

  @Test
  void aPostgresRegistry_readsAsTheFileRegistry() throws Exception {
    try (PostgresServer pg = PostgresServer.start("registry")) {
      try (Connection c = pg.connect("postgres")) {
        SqlRegistryWriter.write(c, realRegistry(), RealFeast.PROJECT, true);
      }
      SqlRegistrySource source =
          new SqlRegistrySource(
              SqlRegistrySource.jdbc(pg.sqlalchemyUrl("postgres"), tmp), RealFeast.PROJECT);

      assertSameServing(source.read(), fromFile());

      SqlRegistrySource otherProject =
          new SqlRegistrySource(SqlRegistrySource.jdbc(pg.sqlalchemyUrl("postgres"), tmp), "nope");
      assertThatThrownBy(otherProject::read)
          .hasMessageContaining("holds nothing of project 'nope'");
    }
  }

  @Test
  void anUnreachableOrForeignDatabase_failsNamingIt_withoutItsPassword() throws Exception {
    SqlRegistrySource unreachable =
        new SqlRegistrySource(
            SqlRegistrySource.jdbc("postgresql://feast:secret@127.0.0.1:1/registry", tmp),
            RealFeast.PROJECT);
    assertThatThrownBy(unreachable::read)
        .isInstanceOf(FeastConfigException.class)
        .hasMessageContaining("postgresql://feast:***@127.0.0.1:1/registry")
        .hasMessageContaining("cannot be read")
        .hasMessageNotContaining("secret");

    Path other = tmp.resolve("other.sqlite");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (x INTEGER)");
    }
    assertThatThrownBy(
            () ->
                new SqlRegistrySource(SqlRegistrySource.jdbc("sqlite:///" + other, tmp), "p")
                    .read())
        .hasMessageContaining("is not a Feast registry");
  }

  @Test
  void otherDatabases_areRefusedNamingWhatIsSupported() {
    assertThatThrownBy(() -> SqlRegistrySource.jdbc("mysql+pymysql://u:p@h/db", tmp))
        .isInstanceOf(FeastConfigException.class)
        .hasMessageContaining("mysql+pymysql://u:***@h/db")
        .hasMessageContaining("sqlite:/// and postgresql://");
  }
}
