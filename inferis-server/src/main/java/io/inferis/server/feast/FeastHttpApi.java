package io.inferis.server.feast;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.inferis.feast.FeastJson;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.Timestamps;
import io.inferis.features.EntityDef;
import io.inferis.features.FeatureDef;
import io.inferis.features.FeatureRef;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureRow;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureViewDef;
import io.inferis.features.OnlineFeatures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Feast's feature-server endpoints ({@code /get-online-features}, {@code /push}, {@code
 * /write-to-online-store}) as JSON in, JSON out, over a {@link FeatureStore}: parse the body into a
 * lookup or rows (entity rows by {@link EntityRows}' rules), run it on the store, render Feast's
 * answer. Shapes as docs/FEAST-LAYOUT.md describes: column-major results, join-key columns first,
 * Feast's value and timestamp formats. Every mistake in a request is a {@link ClientError}.
 * Thread-safe.
 */
public final class FeastHttpApi {

  private static final JsonFactory JSON =
      new com.fasterxml.jackson.databind.ObjectMapper().getFactory();

  private final FeatureStore store;
  private final FeatureRepo repo;
  private final int maxEntities;
  private final int maxFeatures;
  private final Map<String, EntityDef> entityByJoinKey;

  /** The endpoints over {@code store}, within the request limits given. */
  public FeastHttpApi(FeatureStore store, int maxEntities, int maxFeatures) {
    this.store = store;
    this.repo = store.repo();
    this.maxEntities = maxEntities;
    this.maxFeatures = maxFeatures;
    this.entityByJoinKey = EntityRows.entitiesByJoinKey(repo);
  }

  /**
   * {@code POST /get-online-features}; the answer is rendered on {@code renderOn} (the HTTP event
   * loop), so the Redis client's I/O thread only decodes replies.
   */
  public CompletableFuture<byte[]> getOnlineFeatures(JsonNode body, Executor renderOn) {
    requireObject(body);
    JsonNode features = body.get("features");
    if (body.hasNonNull("feature_service")) {
      throw ClientError.notFound("feature services are not supported; list 'features' instead");
    }
    if (features == null || !features.isArray() || features.isEmpty()) {
      throw ClientError.invalid("'features' must be a non-empty list of 'feature_view:feature'");
    }
    if (features.size() > maxFeatures) {
      throw ClientError.tooLarge(
          "too many features: " + features.size() + " (limit " + maxFeatures + ")");
    }
    List<String> refs = new ArrayList<>();
    for (JsonNode f : features) {
      if (!f.isTextual()) {
        throw ClientError.invalid("'features' must hold strings, found " + JsonInputs.kind(f));
      }
      refs.add(f.textValue());
    }
    JsonNode entities = body.get("entities");
    if (entities == null || !entities.isObject() || entities.isEmpty()) {
      throw ClientError.invalid("'entities' must be an object of join key -> list of values");
    }
    boolean fullNames = body.path("full_feature_names").asBoolean(false);
    EntityRows<JsonNode> rows = JsonInputs.entityRows(entities, entityByJoinKey, maxEntities);
    if (rows.size() == 0) {
      throw ClientError.invalid(
          "'entities' names no known join key with values (known: "
              + entityByJoinKey.keySet()
              + ")");
    }
    return store
        .getOnlineFeatures(refs, rows.rows())
        .thenApplyAsync(result -> render(result, rows, fullNames), renderOn);
  }

  private static byte[] render(
      OnlineFeatures result, EntityRows<JsonNode> entities, boolean fullNames) {
    Map<String, List<JsonNode>> joinColumns = entities.columns();
    int rows = entities.size();
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(256 + rows * result.features().size() * 48);
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
      for (int f = 0; f < result.features().size(); f++) {
        g.writeStartObject();
        g.writeArrayFieldStart("values");
        for (int r = 0; r < rows; r++) {
          FeastJson.writeValue(g, result.value(r, f));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("statuses");
        for (int r = 0; r < rows; r++) {
          g.writeString(result.status(r, f).name());
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
      for (FeatureRef ref : result.features()) {
        g.writeString(fullNames ? ref.view() + "__" + ref.feature() : ref.feature());
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
    FeatureViewDef view = repo.requireView(name.textValue());
    return write(view, body.get("df"));
  }

  /**
   * {@code POST /push}: {@code push_source_name} names the view; {@code to} must include online.
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
    FeatureViewDef view = repo.requireView(source.textValue());
    return write(view, body.get("df"));
  }

  private CompletableFuture<Integer> write(FeatureViewDef view, JsonNode df) {
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
    JsonNode ts = df.has("event_timestamp") ? df.get("event_timestamp") : df.get("timestamp");
    if (ts == null) {
      throw ClientError.invalid("df needs an 'event_timestamp' column");
    }
    List<EntityDef> entities = repo.entitiesOf(view);
    for (EntityDef e : entities) {
      if (!df.has(e.joinKey())) {
        throw ClientError.invalid("df needs the join key column '" + e.joinKey() + "'");
      }
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
        JsonNode col = df.get(f.name());
        if (col != null) {
          values.put(
              f.name(), JsonInputs.value(col.get(r), f.type(), "df." + f.name() + "[" + r + "]"));
        }
      }
      out.add(
          new FeatureRow(
              key, values, JsonInputs.timestamp(ts.get(r), "df.event_timestamp[" + r + "]")));
    }
    return store.write(view.name(), out);
  }

  private static void requireObject(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ClientError.invalid("the request body must be a JSON object");
    }
  }
}
