package io.inferis.registry;

import io.inferis.registry.internal.proto.Entity;
import io.inferis.registry.internal.proto.FeatureService;
import io.inferis.registry.internal.proto.FeatureView;
import io.inferis.registry.internal.proto.OnDemandFeatureView;
import io.inferis.registry.internal.proto.Registry;
import io.inferis.registry.internal.proto.StreamFeatureView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes a registry into a database in the layout of Feast's SQL registry ({@code
 * feast/infra/registry/sql.py}): one table per kind of object, keyed by name and {@code
 * project_id}, each row holding the serialized object. As Feast's own objects do, the blobs carry
 * an empty project: readers must take the row's. This is how the tests build an SQL registry with
 * the same definitions as the real registry file, without Python.
 */
public final class SqlRegistryWriter {

  private SqlRegistryWriter() {}

  /** Creates the tables (if absent) and writes {@code registry}'s objects of {@code project}. */
  public static void write(Connection c, Registry registry, String project, boolean postgres)
      throws SQLException {
    String blobType = postgres ? "BYTEA" : "BLOB";
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS projects (project_id VARCHAR(255) PRIMARY KEY,"
              + " project_name VARCHAR(255) NOT NULL, last_updated_timestamp BIGINT NOT NULL,"
              + " project_proto "
              + blobType
              + " NOT NULL)");
      for (String[] t :
          new String[][] {
            {"entities", "entity_name", "entity_proto"},
            {"data_sources", "data_source_name", "data_source_proto"},
            {"feature_views", "feature_view_name", "feature_view_proto"},
            {"stream_feature_views", "feature_view_name", "feature_view_proto"},
            {"on_demand_feature_views", "feature_view_name", "feature_view_proto"},
            {"feature_services", "feature_service_name", "feature_service_proto"}
          }) {
        s.execute(
            "CREATE TABLE IF NOT EXISTS "
                + t[0]
                + " ("
                + t[1]
                + " VARCHAR(255) NOT NULL, project_id VARCHAR(255) NOT NULL,"
                + " last_updated_timestamp BIGINT NOT NULL, "
                + t[2]
                + " "
                + blobType
                + " NOT NULL, PRIMARY KEY ("
                + t[1]
                + ", project_id))");
      }
    }
    long now = System.currentTimeMillis() / 1000;
    insert(
        c,
        "INSERT INTO projects VALUES (?, ?, ?, ?)",
        project,
        project,
        now,
        registry.getProjects(0).toByteArray());
    for (Entity e : registry.getEntitiesList()) {
      if (e.getSpec().getProject().equals(project)) {
        Entity blob = e.toBuilder().setSpec(e.getSpec().toBuilder().clearProject()).build();
        insert(
            c,
            "INSERT INTO entities VALUES (?, ?, ?, ?)",
            e.getSpec().getName(),
            project,
            now,
            blob.toByteArray());
      }
    }
    for (FeatureView v : registry.getFeatureViewsList()) {
      if (v.getSpec().getProject().equals(project)) {
        FeatureView blob = v.toBuilder().setSpec(v.getSpec().toBuilder().clearProject()).build();
        insert(
            c,
            "INSERT INTO feature_views VALUES (?, ?, ?, ?)",
            v.getSpec().getName(),
            project,
            now,
            blob.toByteArray());
      }
    }
    for (StreamFeatureView v : registry.getStreamFeatureViewsList()) {
      if (v.getSpec().getProject().equals(project)) {
        insert(
            c,
            "INSERT INTO stream_feature_views VALUES (?, ?, ?, ?)",
            v.getSpec().getName(),
            project,
            now,
            v.toByteArray());
      }
    }
    for (OnDemandFeatureView v : registry.getOnDemandFeatureViewsList()) {
      if (v.getSpec().getProject().equals(project)) {
        insert(
            c,
            "INSERT INTO on_demand_feature_views VALUES (?, ?, ?, ?)",
            v.getSpec().getName(),
            project,
            now,
            v.toByteArray());
      }
    }
    for (FeatureService f : registry.getFeatureServicesList()) {
      if (f.getSpec().getProject().equals(project)) {
        FeatureService blob = f.toBuilder().setSpec(f.getSpec().toBuilder().clearProject()).build();
        insert(
            c,
            "INSERT INTO feature_services VALUES (?, ?, ?, ?)",
            f.getSpec().getName(),
            project,
            now,
            blob.toByteArray());
      }
    }
  }

  private static void insert(
      Connection c, String sql, String name, String project, long ts, byte[] proto)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, name);
      s.setString(2, project);
      s.setLong(3, ts);
      s.setBytes(4, proto);
      s.executeUpdate();
    }
  }
}
