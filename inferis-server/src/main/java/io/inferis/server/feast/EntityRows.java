package io.inferis.server.feast;

import io.inferis.feast.FeatureValue;
import io.inferis.features.EntityDef;
import io.inferis.features.FeatureRepo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The entity rows of a request, read by one set of rules for every endpoint and transport:
 *
 * <ul>
 *   <li>entities come as columns, join key → list of values; every column has the same length,
 *       which is the number of rows;
 *   <li>a join key the repository does not define is ignored, as Feast does (it may carry request
 *       data for an on-demand view);
 *   <li>each value is converted to the type its entity declares (the repository decides the type,
 *       not the request); a null value is rejected, since an entity key cannot hold one;
 *   <li>at most {@code maxRows} rows.
 * </ul>
 *
 * A violation is a {@link ClientError} naming the column and row. {@code C} is the transport's cell
 * type (a JSON node, a protobuf value); the known columns are kept as given, in request order, so
 * an answer can echo them. Immutable.
 *
 * @param <C> the transport's cell type
 */
public final class EntityRows<C> {

  /** Converts one cell to the declared type; {@code what} names it for errors. */
  @FunctionalInterface
  public interface Cells<C> {
    /** The value, or null for a null cell. */
    @Nullable FeatureValue read(C cell, EntityDef entity, String what);
  }

  private final Map<String, List<C>> columns;
  private final List<Map<String, FeatureValue>> rows;

  private EntityRows(Map<String, List<C>> columns, List<Map<String, FeatureValue>> rows) {
    this.columns = Collections.unmodifiableMap(columns);
    this.rows = Collections.unmodifiableList(rows);
  }

  /** No rows. */
  public static <C> EntityRows<C> none() {
    return new EntityRows<>(new LinkedHashMap<>(), new ArrayList<>());
  }

  /**
   * Reads {@code columns} (join key → cells, in request order) by the rules above.
   *
   * @throws ClientError when a rule is broken
   */
  public static <C> EntityRows<C> read(
      Map<String, List<C>> columns,
      Map<String, EntityDef> entityByJoinKey,
      Cells<C> cells,
      int maxRows) {
    Map<String, List<C>> known = new LinkedHashMap<>();
    int rows = -1;
    for (Map.Entry<String, List<C>> c : columns.entrySet()) {
      if (!entityByJoinKey.containsKey(c.getKey())) {
        continue;
      }
      int n = c.getValue().size();
      if (rows >= 0 && n != rows) {
        throw ClientError.invalid(
            "every entities list must have the same length; '"
                + c.getKey()
                + "' has "
                + n
                + ", expected "
                + rows);
      }
      rows = n;
      known.put(c.getKey(), c.getValue());
    }
    rows = Math.max(0, rows);
    if (rows > maxRows) {
      throw ClientError.tooLarge("too many entity rows: " + rows + " (limit " + maxRows + ")");
    }
    List<Map<String, FeatureValue>> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      Map<String, FeatureValue> row = new HashMap<>(2 * known.size());
      for (Map.Entry<String, List<C>> c : known.entrySet()) {
        String what = "entities." + c.getKey() + "[" + r + "]";
        FeatureValue v = cells.read(c.getValue().get(r), entityByJoinKey.get(c.getKey()), what);
        if (v == null || v.isNull()) {
          throw ClientError.invalid(what + " must not be null");
        }
        row.put(c.getKey(), v);
      }
      out.add(row);
    }
    return new EntityRows<>(known, out);
  }

  /** Join key → entity, for {@link #read}. */
  public static Map<String, EntityDef> entitiesByJoinKey(FeatureRepo repo) {
    Map<String, EntityDef> m = new HashMap<>();
    for (EntityDef e : repo.entities()) {
      m.put(e.joinKey(), e);
    }
    return Collections.unmodifiableMap(m);
  }

  /** The known join-key columns, in request order, as given. */
  public Map<String, List<C>> columns() {
    return columns;
  }

  /** The rows, join key → typed value. */
  public List<Map<String, FeatureValue>> rows() {
    return rows;
  }

  /** The number of rows. */
  public int size() {
    return rows.size();
  }
}
