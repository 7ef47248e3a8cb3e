package io.inferis.server.feast;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.feast.FeastJson;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldStatus;
import io.inferis.feast.Timestamps;
import io.inferis.features.EntityDef;
import io.inferis.features.FeatureDef;
import io.inferis.features.FeatureRef;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureRow;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureViewDef;
import io.inferis.features.OnlineFeatures;
import io.inferis.registry.FeastRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Feast's feature-server endpoints ({@code /get-online-features}, {@code /push}, {@code
 * /write-to-online-store}) as JSON in, JSON out, over a {@link FeatureStore}: parse the body into a
 * lookup or rows (entity rows by {@link EntityRows}' rules), run it on the store, render Feast's
 * answer. Shapes as docs/FEAST-LAYOUT.md describes: column-major results, join-key columns first,
 * Feast's value and timestamp formats, statuses as {@link Statuses} says.
 *
 * <p>When serving a Feast repository, its registry ({@link FeastRegistry}, read anew at each
 * request) adds feature services ({@code feature_service} wins over {@code features}, as in Feast),
 * push sources ({@code /push} writes every view the source feeds) and each view's write schema (its
 * batch source's timestamp column and field mapping). Without one, a {@code /push} names a view and
 * feature services are not available.
 *
 * <p>Every mistake in a request is a {@link ClientError}; the ones Feast answers with its own
 * exception carry that exception's class. Thread-safe.
 */
public final class FeastHttpApi {

  private static final JsonFactory JSON = new ObjectMapper().getFactory();

  private final FeatureStore store;
  private final @Nullable Supplier<FeastRegistry> registry;
  private final Statuses statuses;
  private final int maxEntities;
  private final int maxFeatures;

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
   * The endpoints over {@code store} within the request limits; {@code registry} is the Feast
   * registry served, or null when inferis serves its own definitions.
   */
  public FeastHttpApi(
      FeatureStore store,
      @Nullable Supplier<FeastRegistry> registry,
      Statuses statuses,
      int maxEntities,
      int maxFeatures) {
    this.store = store;
    this.registry = registry;
    this.statuses = statuses;
    this.maxEntities = maxEntities;
    this.maxFeatures = maxFeatures;
    this.index = RepoIndex.of(store.repo());
  }

  private RepoIndex index(FeatureRepo repo) {
    RepoIndex i = index;
    if (i.repo() != repo) {
      i = RepoIndex.of(repo);
      index = i;
    }
    return i;
  }

  /**
   * The requested columns: the references their values are read by ({@code view:feature}) and, for
   * a feature service, the view name each full name uses (the service's alias for the view); a
   * listed feature's full name uses its view's.
   */
  private record Columns(List<String> refs, @Nullable List<String> servedViews) {
    String name(OnlineFeatures result, int f, boolean fullNames) {
      FeatureRef ref = result.features().get(f);
      if (!fullNames) {
        return ref.feature();
      }
      return (servedViews == null ? ref.view() : servedViews.get(f)) + "__" + ref.feature();
    }
  }

  /**
   * {@code POST /get-online-features}; the answer is rendered on {@code renderOn} (the HTTP event
   * loop), so the Redis client's I/O thread only decodes replies.
   */
  public CompletableFuture<byte[]> getOnlineFeatures(JsonNode body, Executor renderOn) {
    requireObject(body);
    RepoIndex repo = index(store.repo());
    FeastRegistry feast = registry == null ? null : registry.get();
    Columns columns =
        body.hasNonNull("feature_service")
            ? serviceColumns(body.get("feature_service"), feast)
            : listedColumns(body.get("features"), repo, feast);
    if (columns.refs().size() > maxFeatures) {
      throw ClientError.tooLarge(
          "too many features: " + columns.refs().size() + " (limit " + maxFeatures + ")");
    }
    JsonNode entities = body.get("entities");
    if (entities == null || !entities.isObject() || entities.isEmpty()) {
      throw ClientError.invalid("'entities' must be an object of join key -> list of values");
    }
    boolean fullNames = body.path("full_feature_names").asBoolean(false);
    Map<String, EntityDef> byJoinKey = repo.byJoinKey();
    EntityRows<JsonNode> rows = JsonInputs.entityRows(entities, byJoinKey, maxEntities);
    if (rows.size() == 0) {
      throw ClientError.invalid(
          "'entities' names no known join key with values (known: " + byJoinKey.keySet() + ")");
    }
    return store
        .getOnlineFeatures(columns.refs(), rows.rows())
        .thenApplyAsync(result -> render(result, columns, rows, fullNames), renderOn);
  }

  /** The columns of a {@code features} list: {@code view:feature} each. */
  private Columns listedColumns(
      @Nullable JsonNode features, RepoIndex repo, @Nullable FeastRegistry feast) {
    if (features == null || !features.isArray() || features.isEmpty()) {
      throw ClientError.invalid("'features' must be a non-empty list of 'feature_view:feature'");
    }
    if (features.size() > maxFeatures) {
      throw ClientError.tooLarge(
          "too many features: " + features.size() + " (limit " + maxFeatures + ")");
    }
    List<String> refs = new ArrayList<>(features.size());
    for (JsonNode f : features) {
      if (!f.isTextual()) {
        throw ClientError.invalid("'features' must hold strings, found " + JsonInputs.kind(f));
      }
      String ref = f.textValue();
      refs.add(ref);
      if (repo.refs().contains(ref)) {
        continue;
      }
      int colon = ref.indexOf(':');
      if (colon <= 0 || colon == ref.length() - 1 || ref.indexOf(':', colon + 1) >= 0) {
        throw ClientError.invalid(
            "feature reference '" + ref + "' must have the form 'feature_view:feature'");
      }
      requireServable(ref.substring(0, colon), repo.repo(), feast);
    }
    return new Columns(refs, null);
  }

  /** The columns of a feature service: each projection's features, under its served name. */
  private Columns serviceColumns(JsonNode name, @Nullable FeastRegistry feast) {
    if (!name.isTextual()) {
      throw ClientError.invalid("'feature_service' must be a string");
    }
    String service = name.textValue();
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
    return new Columns(refs, servedViews);
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

  private byte[] render(
      OnlineFeatures result, Columns columns, EntityRows<JsonNode> entities, boolean fullNames) {
    Map<String, List<JsonNode>> joinColumns = entities.columns();
    int rows = entities.size();
    int features = result.features().size();
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + rows * features * 48);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("results");
      String epoch = Timestamps.format(Instant.EPOCH);
      for (List<JsonNode> column : joinColumns.values()) {
        g.writeStartObject();
        g.writeFieldName("values");
        g.writeStartArray();
        for (JsonNode v : column) {
          g.writeTree(v);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("statuses");
        for (int r = 0; r < rows; r++) {
          g.writeString("PRESENT");
        }
        g.writeEndArray();
        g.writeArrayFieldStart("event_timestamps");
        for (int r = 0; r < rows; r++) {
          g.writeString(epoch);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      for (int f = 0; f < features; f++) {
        g.writeStartObject();
        g.writeArrayFieldStart("values");
        for (int r = 0; r < rows; r++) {
          FieldStatus s = result.status(r, f);
          // A value the store could not read is null under both conventions.
          FeastJson.writeValue(
              g,
              s == FieldStatus.NOT_FOUND || s == FieldStatus.INVALID
                  ? FeatureValue.empty()
                  : result.value(r, f));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("statuses");
        for (int r = 0; r < rows; r++) {
          g.writeString(statuses.report(result.status(r, f)).name());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("event_timestamps");
        for (int r = 0; r < rows; r++) {
          g.writeString(Timestamps.format(result.eventTime(r, f)));
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("metadata");
      g.writeArrayFieldStart("feature_names");
      for (String k : joinColumns.keySet()) {
        g.writeString(k);
      }
      for (int f = 0; f < features; f++) {
        g.writeString(columns.name(result, f, fullNames));
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * {@code POST /write-to-online-store}: {@code feature_view_name} and a column-major {@code df}.
   */
  public CompletableFuture<Integer> writeToOnlineStore(JsonNode body) {
    requireObject(body);
    JsonNode name = body.get("feature_view_name");
    if (name == null || !name.isTextual()) {
      throw ClientError.invalid("'feature_view_name' is required");
    }
    FeatureRepo repo = store.repo();
    FeastRegistry feast = registry == null ? null : registry.get();
    Optional<FeatureViewDef> view = repo.view(name.textValue());
    if (view.isEmpty()) {
      String why = feast == null ? null : feast.unservable().get(name.textValue());
      if (why != null) {
        throw ClientError.invalid(
            "feature view '" + name.textValue() + "' cannot be written: " + why);
      }
      throw new ClientError(
          ClientError.Kind.NOT_FOUND,
          feast == null
              ? "feature view '" + name.textValue() + "' is not defined"
              : "Can't recognize feast object with a name " + name.textValue(),
          "FeastObjectNotFoundException");
    }
    return write(repo, view.get(), schema(feast, view.get().name()), body.get("df"));
  }

  /**
   * {@code POST /push}: {@code push_source_name} names a push source of the Feast registry, whose
   * views are all written (without a registry, a view); {@code to} is {@code online} (the default),
   * {@code online_and_offline} or {@code offline}, and only the online part is written: inferis has
   * no offline store.
   */
  public CompletableFuture<Integer> push(JsonNode body) {
    requireObject(body);
    JsonNode source = body.get("push_source_name");
    if (source == null || !source.isTextual()) {
      throw ClientError.invalid("'push_source_name' is required");
    }
    String to = body.path("to").asText("online");
    if (!to.equals("online") && !to.equals("online_and_offline") && !to.equals("offline")) {
      throw ClientError.invalid(
          "'to' must be online, offline or online_and_offline, was '" + to + "'");
    }
    if (to.equals("offline")) {
      throw ClientError.invalid("inferis has no offline store; push with to=online");
    }
    FeatureRepo repo = store.repo();
    FeastRegistry feast = registry == null ? null : registry.get();
    List<FeatureViewDef> views = new ArrayList<>();
    if (feast == null) {
      views.add(repo.requireView(source.textValue()));
    } else {
      for (String v : feast.pushSources().getOrDefault(source.textValue(), List.of())) {
        repo.view(v).ifPresent(views::add);
      }
      if (views.isEmpty()) {
        throw new ClientError(
            ClientError.Kind.INVALID,
            "Unable to find push source '" + source.textValue() + "'.",
            "PushSourceNotFoundException");
      }
    }
    List<CompletableFuture<Integer>> writes = new ArrayList<>(views.size());
    for (FeatureViewDef view : views) {
      writes.add(write(repo, view, schema(feast, view.name()), body.get("df")));
    }
    return CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0]))
        .thenApply(v -> writes.stream().mapToInt(CompletableFuture::join).sum());
  }

  private static FeastRegistry.@Nullable WriteSchema schema(
      @Nullable FeastRegistry feast, String view) {
    return feast == null ? null : feast.writeSchemas().get(view);
  }

  private CompletableFuture<Integer> write(
      FeatureRepo repo,
      FeatureViewDef view,
      FeastRegistry.@Nullable WriteSchema schema,
      @Nullable JsonNode df) {
    if (df == null || !df.isObject() || df.isEmpty()) {
      throw ClientError.invalid("'df' must be an object of column -> list of values");
    }
    int rows = -1;
    for (Iterator<Map.Entry<String, JsonNode>> it = df.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> c = it.next();
      if (!c.getValue().isArray()) {
        throw ClientError.invalid("df." + c.getKey() + " must be a list");
      }
      if (rows >= 0 && c.getValue().size() != rows) {
        throw ClientError.invalid(
            "every df column must have the same length; '" + c.getKey() + "' differs");
      }
      rows = c.getValue().size();
    }
    if (rows > maxEntities) {
      throw ClientError.tooLarge("too many rows: " + rows + " (limit " + maxEntities + ")");
    }
    String tsColumn = timestampColumn(df, schema);
    JsonNode ts = df.get(tsColumn);
    List<EntityDef> entities = repo.entitiesOf(view);
    for (EntityDef e : entities) {
      if (!df.has(e.joinKey())) {
        throw ClientError.invalid("df needs the join key column '" + e.joinKey() + "'");
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
        key.put(
            e.joinKey(),
            JsonInputs.value(
                df.get(e.joinKey()).get(r), e.type(), "df." + e.joinKey() + "[" + r + "]"));
      }
      Map<String, FeatureValue> values = new HashMap<>();
      for (FeatureDef f : view.features()) {
        String column = sourceOf.getOrDefault(f.name(), f.name());
        JsonNode col = df.get(column);
        if (col != null) {
          values.put(
              f.name(), JsonInputs.value(col.get(r), f.type(), "df." + column + "[" + r + "]"));
        }
      }
      out.add(
          new FeatureRow(
              key, values, JsonInputs.timestamp(ts.get(r), "df." + tsColumn + "[" + r + "]")));
    }
    return store.write(view.name(), out);
  }

  /**
   * The event-time column: the view's batch source's, else {@code event_timestamp}, else {@code
   * timestamp}.
   */
  private static String timestampColumn(JsonNode df, FeastRegistry.@Nullable WriteSchema schema) {
    if (schema != null && !schema.timestampField().isEmpty()) {
      if (!df.has(schema.timestampField())) {
        throw ClientError.invalid(
            "df needs the event time column '" + schema.timestampField() + "'");
      }
      return schema.timestampField();
    }
    if (df.has("event_timestamp")) {
      return "event_timestamp";
    }
    if (df.has("timestamp")) {
      return "timestamp";
    }
    throw ClientError.invalid("df needs an 'event_timestamp' column");
  }

  private static void requireObject(@Nullable JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ClientError.invalid("the request body must be a JSON object");
    }
  }
}
