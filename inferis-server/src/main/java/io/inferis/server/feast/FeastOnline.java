package io.inferis.server.feast;

import io.inferis.feast.FeatureValue;
import io.inferis.features.EntityDef;
import io.inferis.features.FeatureDef;
import io.inferis.features.FeatureRef;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureRow;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureViewDef;
import io.inferis.features.OnlineFeatures;
import io.inferis.registry.FeastRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Feast's feature-server operations apart from any transport: what a request names (features or a
 * feature service, a push source, a view) resolved against the repository and the Feast registry,
 * checked, and run on the store. The HTTP and gRPC endpoints parse their own wire format into these
 * calls and render the answers in their own. Thread-safe.
 *
 * <p>When serving a Feast repository, its registry ({@link FeastRegistry}, read anew at each
 * request) adds feature services, push sources (a push writes every view the source feeds) and each
 * view's write schema (its batch source's timestamp column and field mapping). Without one, a push
 * names a view and feature services are not available.
 */
public final class FeastOnline {

  private final FeatureStore store;
  private final @Nullable Supplier<FeastRegistry> registry;
  private final int maxEntities;
  private final int maxFeatures;
  private final @Nullable FeatureFreshness freshness;

  /**
   * The repository seen last, its join keys and its feature references (the repository may be
   * replaced by a refresh).
   */
  private volatile RepoIndex index;

  /**
   * What a request is checked against, built once per repository: a listed reference found in
   * {@code refs} needs no further parsing.
   */
  private record RepoIndex(FeatureRepo repo, Map<String, EntityDef> byJoinKey, Set<String> refs) {
    static RepoIndex of(FeatureRepo repo) {
      Set<String> refs = new HashSet<>();
      for (FeatureViewDef v : repo.views()) {
        for (FeatureDef f : v.features()) {
          refs.add(v.name() + ":" + f.name());
        }
      }
      return new RepoIndex(repo, EntityRows.entitiesByJoinKey(repo), Set.copyOf(refs));
    }
  }

  /**
   * The requested columns: the references their values are read by ({@code view:feature}) and, for
   * a feature service, the view name each full name uses (the service's alias for the view); a
   * listed feature's full name uses its view's.
   */
  public record Columns(List<String> refs, @Nullable List<String> servedViews) {

    /** How many views the columns are read from. */
    public int viewCount() {
      Set<String> views = new HashSet<>();
      for (String ref : refs) {
        int colon = ref.indexOf(':');
        views.add(colon < 0 ? ref : ref.substring(0, colon));
      }
      return views.size();
    }

    /** The name column {@code f} of {@code result} is answered under. */
    public String name(OnlineFeatures result, int f, boolean fullNames) {
      FeatureRef ref = result.features().get(f);
      if (!fullNames) {
        return ref.feature();
      }
      return (servedViews == null ? ref.view() : servedViews.get(f)) + "__" + ref.feature();
    }
  }

  /**
   * The operations over {@code store} within the request limits; {@code registry} is the Feast
   * registry served, or null when inferis serves its own definitions.
   */
  public FeastOnline(
      FeatureStore store,
      @Nullable Supplier<FeastRegistry> registry,
      int maxEntities,
      int maxFeatures) {
    this(store, registry, maxEntities, maxFeatures, null);
  }

  /** As above, noting the event times served in {@code freshness} when not null. */
  public FeastOnline(
      FeatureStore store,
      @Nullable Supplier<FeastRegistry> registry,
      int maxEntities,
      int maxFeatures,
      @Nullable FeatureFreshness freshness) {
    this.freshness = freshness;
    this.store = store;
    this.registry = registry;
    this.maxEntities = maxEntities;
    this.maxFeatures = maxFeatures;
    this.index = RepoIndex.of(store.repo());
  }

  /** The most entity rows a request may carry. */
  public int maxEntities() {
    return maxEntities;
  }

  private RepoIndex index() {
    FeatureRepo repo = store.repo();
    RepoIndex i = index;
    if (i.repo() != repo) {
      i = RepoIndex.of(repo);
      index = i;
    }
    return i;
  }

  private @Nullable FeastRegistry feast() {
    return registry == null ? null : registry.get();
  }

  /** Join key → entity, of the repository served now. */
  public Map<String, EntityDef> entitiesByJoinKey() {
    return index().byJoinKey();
  }

  /**
   * The columns of a list of {@code view:feature} references.
   *
   * @throws ClientError for an empty or over-long list, a malformed reference, or a view that is
   *     not defined or cannot be served
   */
  public Columns listed(List<String> refs) {
    if (refs.isEmpty()) {
      throw ClientError.invalid("'features' must be a non-empty list of 'feature_view:feature'");
    }
    requireFeatureCount(refs.size());
    RepoIndex repo = index();
    for (String ref : refs) {
      if (repo.refs().contains(ref)) {
        continue;
      }
      int colon = ref.indexOf(':');
      if (colon <= 0 || colon == ref.length() - 1 || ref.indexOf(':', colon + 1) >= 0) {
        throw ClientError.invalid(
            "feature reference '" + ref + "' must have the form 'feature_view:feature'");
      }
      requireServable(ref.substring(0, colon), repo.repo(), feast());
    }
    return new Columns(refs, null);
  }

  /**
   * The columns of feature service {@code service}: each projection's features, under its served
   * name.
   *
   * @throws ClientError when the service does not exist, maps join keys, or reads a view that
   *     cannot be served
   */
  public Columns service(String service) {
    FeastRegistry feast = feast();
    FeastRegistry.FeatureService fs = feast == null ? null : feast.featureServices().get(service);
    if (fs == null) {
      throw new ClientError(
          ClientError.Kind.NOT_FOUND,
          feast == null
              ? "feature service "
                  + service
                  + " does not exist (inferis serves feature services"
                  + " of a Feast repository: serve --feast-repo)"
              : "Feature service " + service + " does not exist in project " + feast.project(),
          "FeatureServiceNotFoundException");
    }
    List<String> refs = new ArrayList<>();
    List<String> servedViews = new ArrayList<>();
    for (FeastRegistry.Projection p : fs.projections()) {
      if (!p.joinKeyMap().isEmpty()) {
        throw ClientError.invalid(
            "feature service "
                + service
                + " maps the join keys of "
                + p.view()
                + " (join_key_map), which inferis does not serve yet");
      }
      requireServable(p.view(), store.repo(), feast);
      for (String feature : p.features()) {
        refs.add(p.view() + ":" + feature);
        servedViews.add(p.servedName());
      }
    }
    requireFeatureCount(refs.size());
    return new Columns(refs, servedViews);
  }

  private void requireFeatureCount(int n) {
    if (n > maxFeatures) {
      throw ClientError.tooLarge("too many features: " + n + " (limit " + maxFeatures + ")");
    }
  }

  /**
   * A view the request may read: defined, and not one the registry lists but inferis cannot serve.
   */
  private static void requireServable(
      String view, FeatureRepo repo, @Nullable FeastRegistry feast) {
    if (repo.view(view).isPresent()) {
      return;
    }
    String why = feast == null ? null : feast.unservable().get(view);
    if (why != null) {
      throw ClientError.invalid("feature view '" + view + "' cannot be served: " + why);
    }
    throw new ClientError(
        ClientError.Kind.NOT_FOUND,
        feast == null
            ? "feature view '" + view + "' is not defined"
            : "Feature view " + view + " does not exist in project " + feast.project(),
        "FeatureViewNotFoundException");
  }

  /**
   * Looks up {@code columns} for {@code rows} within {@code deadline} (the store's default when
   * null).
   *
   * @throws ClientError when there are no rows
   */
  public CompletableFuture<OnlineFeatures> lookup(
      Columns columns, EntityRows<?> rows, @Nullable Duration deadline) {
    if (rows.size() == 0) {
      throw ClientError.invalid(
          "'entities' names no known join key with values (known: "
              + entitiesByJoinKey().keySet()
              + ")");
    }
    CompletableFuture<OnlineFeatures> result =
        deadline == null
            ? store.getOnlineFeatures(columns.refs(), rows.rows())
            : store.getOnlineFeatures(columns.refs(), rows.rows(), deadline);
    FeatureFreshness f = freshness;
    return f == null
        ? result
        : result.thenApply(
            r -> {
              f.served(r);
              return r;
            });
  }

  /**
   * Checks a push's {@code to}: {@code online} or {@code online_and_offline} write the online
   * store; {@code offline} is refused, inferis having no offline store.
   */
  public static void requirePushTarget(String to) {
    if (!to.equals("online") && !to.equals("online_and_offline") && !to.equals("offline")) {
      throw ClientError.invalid(
          "'to' must be online, offline or online_and_offline, was '" + to + "'");
    }
    if (to.equals("offline")) {
      throw ClientError.invalid("inferis has no offline store; push with to=online");
    }
  }

  /**
   * Pushes {@code frame} to every view push source {@code source} feeds (without a registry, to the
   * view named {@code source}).
   *
   * @return the number of rows written, over all views
   */
  public CompletableFuture<Integer> push(String source, Frame frame) {
    FeatureRepo repo = store.repo();
    FeastRegistry feast = feast();
    List<FeatureViewDef> views = new ArrayList<>();
    if (feast == null) {
      views.add(
          repo.view(source)
              .orElseThrow(
                  () ->
                      new ClientError(
                          ClientError.Kind.NOT_FOUND,
                          "feature view '" + source + "' is not defined")));
    } else {
      for (String v : feast.pushSources().getOrDefault(source, List.of())) {
        repo.view(v).ifPresent(views::add);
      }
      if (views.isEmpty()) {
        throw new ClientError(
            ClientError.Kind.INVALID,
            "Unable to find push source '" + source + "'.",
            "PushSourceNotFoundException");
      }
    }
    List<CompletableFuture<Integer>> writes = new ArrayList<>(views.size());
    for (FeatureViewDef view : views) {
      writes.add(write(repo, view, schema(feast, view.name()), frame));
    }
    return CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0]))
        .thenApply(v -> writes.stream().mapToInt(CompletableFuture::join).sum());
  }

  /**
   * Writes {@code frame} to view {@code viewName}.
   *
   * @return the number of rows written
   */
  public CompletableFuture<Integer> writeToOnlineStore(String viewName, Frame frame) {
    FeatureRepo repo = store.repo();
    FeastRegistry feast = feast();
    Optional<FeatureViewDef> view = repo.view(viewName);
    if (view.isEmpty()) {
      String why = feast == null ? null : feast.unservable().get(viewName);
      if (why != null) {
        throw ClientError.invalid("feature view '" + viewName + "' cannot be written: " + why);
      }
      throw new ClientError(
          ClientError.Kind.NOT_FOUND,
          feast == null
              ? "feature view '" + viewName + "' is not defined"
              : "Can't recognize feast object with a name " + viewName,
          "FeastObjectNotFoundException");
    }
    return write(repo, view.get(), schema(feast, viewName), frame);
  }

  private static FeastRegistry.@Nullable WriteSchema schema(
      @Nullable FeastRegistry feast, String view) {
    return feast == null ? null : feast.writeSchemas().get(view);
  }

  private CompletableFuture<Integer> write(
      FeatureRepo repo, FeatureViewDef view, FeastRegistry.@Nullable WriteSchema schema, Frame df) {
    int rows = df.rows();
    if (rows > maxEntities) {
      throw ClientError.tooLarge("too many rows: " + rows + " (limit " + maxEntities + ")");
    }
    String tsColumn = timestampColumn(df, schema);
    List<EntityDef> entities = repo.entitiesOf(view);
    for (EntityDef e : entities) {
      if (!df.has(e.joinKey())) {
        throw ClientError.invalid(df.name() + " needs the join key column '" + e.joinKey() + "'");
      }
    }
    // A source column may carry a feature under another name (the batch source's field mapping).
    Map<String, String> sourceOf = new HashMap<>();
    if (schema != null) {
      schema.fieldMapping().forEach((source, feature) -> sourceOf.put(feature, source));
    }
    List<FeatureRow> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      Map<String, FeatureValue> key = new HashMap<>();
      for (EntityDef e : entities) {
        key.put(e.joinKey(), df.value(e.joinKey(), r, e.type()));
      }
      Map<String, FeatureValue> values = new HashMap<>();
      for (FeatureDef f : view.features()) {
        String column = sourceOf.getOrDefault(f.name(), f.name());
        if (df.has(column)) {
          values.put(f.name(), df.value(column, r, f.type()));
        }
      }
      out.add(new FeatureRow(key, values, df.timestamp(tsColumn, r)));
    }
    return store.write(view.name(), out);
  }

  /**
   * The event-time column: the view's batch source's, else {@code event_timestamp}, else {@code
   * timestamp}.
   */
  private static String timestampColumn(Frame df, FeastRegistry.@Nullable WriteSchema schema) {
    if (schema != null && !schema.timestampField().isEmpty()) {
      if (!df.has(schema.timestampField())) {
        throw ClientError.invalid(
            df.name() + " needs the event time column '" + schema.timestampField() + "'");
      }
      return schema.timestampField();
    }
    if (df.has("event_timestamp")) {
      return "event_timestamp";
    }
    if (df.has("timestamp")) {
      return "timestamp";
    }
    throw ClientError.invalid(df.name() + " needs an 'event_timestamp' column");
  }
}
