package io.inferis.registry;

import com.google.protobuf.InvalidProtocolBufferException;
import io.inferis.registry.internal.proto.Entity;
import io.inferis.registry.internal.proto.FeatureService;
import io.inferis.registry.internal.proto.FeatureView;
import io.inferis.registry.internal.proto.OnDemandFeatureView;
import io.inferis.registry.internal.proto.Project;
import io.inferis.registry.internal.proto.ProjectSpec;
import io.inferis.registry.internal.proto.Registry;
import io.inferis.registry.internal.proto.StreamFeatureView;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Feast's SQL registry, read through JDBC: the rows of its object tables ({@code entities}, {@code
 * feature_views}, {@code stream_feature_views}, {@code on_demand_feature_views}, {@code
 * feature_services}) whose {@code project_id} is the project, each a serialized object. Feast may
 * leave a blob's own project empty and goes by the row's, and so does this reader. It only reads:
 * unlike Feast's, it creates no table and opens an SQLite file read-only. SQLite and PostgreSQL;
 * the driver must be on the class path (the server ships both).
 */
final class SqlRegistrySource implements RegistrySource {

  /** A JDBC URL with its credentials apart, and the URL as Feast was given it, for messages. */
  record Jdbc(String url, Properties properties, String described) {}

  private final Jdbc jdbc;
  private final String project;

  SqlRegistrySource(Jdbc jdbc, String project) {
    this.jdbc = jdbc;
    this.project = project;
  }

  /**
   * The JDBC form of Feast's SQLAlchemy URL: {@code sqlite:///relative.db} (relative to {@code
   * base}, the repository), {@code sqlite:////absolute.db}, {@code postgresql[+driver]://user:pass@
   * host:port/db[?params]}.
   *
   * @throws FeastConfigException for another database or a malformed URL
   */
  static Jdbc jdbc(String url, Path base) {
    if (url.startsWith("sqlite:///")) {
      String file = url.substring("sqlite:///".length());
      if (file.isEmpty() || file.equals(":memory:")) {
        throw new FeastConfigException("SQL registry " + url + " is in memory; nothing to read");
      }
      Path p = Path.of(file);
      Path resolved = p.isAbsolute() ? p : base.resolve(p);
      Properties props = new Properties();
      // SQLITE_OPEN_READONLY: a missing file fails instead of becoming an empty database.
      props.setProperty("open_mode", "1");
      return new Jdbc("jdbc:sqlite:" + resolved, props, "sqlite:///" + resolved);
    }
    int scheme = url.indexOf("://");
    String dialect = scheme < 0 ? "" : url.substring(0, scheme);
    if (!dialect.equals("postgresql") && !dialect.startsWith("postgresql+")) {
      throw new FeastConfigException(
          "SQL registry URL '"
              + redact(url)
              + "' is not supported; inferis reads sqlite:/// and postgresql:// registries");
    }
    URI uri;
    try {
      uri = URI.create("postgresql" + url.substring(scheme));
    } catch (IllegalArgumentException e) {
      throw new FeastConfigException("SQL registry URL '" + redact(url) + "' is malformed", e);
    }
    Properties props = new Properties();
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      props.setProperty("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
      if (colon >= 0) {
        props.setProperty("password", decode(userInfo.substring(colon + 1)));
      }
    }
    // A registry that does not answer fails the read, not the thread waiting on it.
    props.setProperty("connectTimeout", "5");
    props.setProperty("socketTimeout", "30");
    String host = uri.getHost() == null ? "localhost" : uri.getHost();
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    String path = uri.getRawPath() == null ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return new Jdbc("jdbc:postgresql://" + host + port + path + query, props, redact(url));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** {@code url} with any password replaced by {@code ***}. */
  static String redact(String url) {
    return url.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@");
  }

  @Override
  public FeastRegistry read() {
    Registry.Builder registry = Registry.newBuilder();
    try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.properties())) {
      if (hasProject(c)) {
        registry.addProjects(
            Project.newBuilder().setSpec(ProjectSpec.newBuilder().setName(project)));
      }
      for (byte[] b : rows(c, "SELECT entity_proto FROM entities WHERE project_id = ?")) {
        Entity e = Entity.parseFrom(b);
        registry.addEntities(e.toBuilder().setSpec(e.getSpec().toBuilder().setProject(project)));
      }
      for (byte[] b :
          rows(c, "SELECT feature_view_proto FROM feature_views WHERE project_id = ?")) {
        FeatureView v = FeatureView.parseFrom(b);
        registry.addFeatureViews(
            v.toBuilder().setSpec(v.getSpec().toBuilder().setProject(project)));
      }
      for (byte[] b :
          rows(c, "SELECT feature_view_proto FROM stream_feature_views WHERE project_id = ?")) {
        StreamFeatureView v = StreamFeatureView.parseFrom(b);
        registry.addStreamFeatureViews(
            v.toBuilder().setSpec(v.getSpec().toBuilder().setProject(project)));
      }
      for (byte[] b :
          rows(c, "SELECT feature_view_proto FROM on_demand_feature_views WHERE project_id = ?")) {
        OnDemandFeatureView v = OnDemandFeatureView.parseFrom(b);
        registry.addOnDemandFeatureViews(
            v.toBuilder().setSpec(v.getSpec().toBuilder().setProject(project)));
      }
      for (byte[] b :
          rows(c, "SELECT feature_service_proto FROM feature_services WHERE project_id = ?")) {
        FeatureService s = FeatureService.parseFrom(b);
        registry.addFeatureServices(
            s.toBuilder().setSpec(s.getSpec().toBuilder().setProject(project)));
      }
    } catch (SQLException e) {
      throw new FeastConfigException(
          "SQL registry " + jdbc.described() + " cannot be read: " + e.getMessage(), e);
    } catch (InvalidProtocolBufferException e) {
      throw new FeastConfigException(
          "SQL registry "
              + jdbc.described()
              + " holds a row that is not a Feast object: "
              + e.getMessage(),
          e);
    }
    Registry built = registry.build();
    String source = "SQL registry " + jdbc.described();
    RegistryModel.requireProject(built, project, source);
    return RegistryModel.of(built, project, source);
  }

  /** Whether the {@code projects} table lists the project. */
  private boolean hasProject(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM projects WHERE project_id = ?")) {
      s.setString(1, project);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      if (missingTable(e)) {
        throw new FeastConfigException(
            "SQL registry "
                + jdbc.described()
                + " is not a Feast registry (it has no projects table)",
            e);
      }
      throw e;
    }
  }

  /**
   * The first column of every row of {@code sql} for the project; a table an older Feast did not
   * create reads as empty.
   */
  private List<byte[]> rows(Connection c, String sql) throws SQLException {
    List<byte[]> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, project);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getBytes(1));
        }
      }
    } catch (SQLException e) {
      if (!missingTable(e)) {
        throw e;
      }
    }
    return out;
  }

  private static boolean missingTable(SQLException e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    // SQLite: "no such table"; PostgreSQL: SQLSTATE 42P01 undefined_table.
    return m.contains("no such table") || "42P01".equals(e.getSQLState());
  }

  @Override
  public String describe() {
    return jdbc.described();
  }
}
