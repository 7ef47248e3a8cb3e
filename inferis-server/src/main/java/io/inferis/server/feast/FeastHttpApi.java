package io.inferis.server.feast;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.inferis.feast.FeastJson;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldStatus;
import io.inferis.feast.Timestamps;
import io.inferis.features.OnlineFeatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Feast's feature-server endpoints ({@code /get-online-features}, {@code /push}, {@code
 * /write-to-online-store}) as JSON in, JSON out: parse the body into a {@link FeastOnline} call
 * (entity rows by {@link EntityRows}' rules), run it, render Feast's answer. Shapes as
 * docs/FEAST-LAYOUT.md describes: column-major results, join-key columns first, Feast's value and
 * timestamp formats, statuses as {@link Statuses} says. {@code feature_service} wins over {@code
 * features}, as in Feast.
 *
 * <p>Every mistake in a request is a {@link ClientError}; the ones Feast answers with its own
 * exception carry that exception's class. Thread-safe.
 */
public final class FeastHttpApi {

  // Entity values are written back as trees; by default the mapper flushes after each one, which
  // would hand the answer to its output stream in pieces.
  private static final JsonFactory JSON =
      new ObjectMapper().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE).getFactory();

  // The response's fixed texts, escaped once: writing them is copying bytes.
  private static final SerializableString RESULTS = new SerializedString("results");
  private static final SerializableString VALUES = new SerializedString("values");
  private static final SerializableString STATUSES = new SerializedString("statuses");
  private static final SerializableString EVENT_TIMESTAMPS =
      new SerializedString("event_timestamps");
  private static final SerializableString METADATA = new SerializedString("metadata");
  private static final SerializableString FEATURE_NAMES = new SerializedString("feature_names");
  private static final SerializableString EPOCH_TEXT =
      new SerializedString(Timestamps.format(Instant.EPOCH));
  private static final Map<FieldStatus, SerializableString> STATUS_TEXT = statusTexts();

  private final FeastOnline feast;
  private final Statuses statuses;
  private final FeastMetrics metrics;

  private static final String GET_ONLINE_FEATURES = "/get-online-features";

  /** The endpoints over {@code feast}, reporting statuses as {@code statuses} says. */
  public FeastHttpApi(FeastOnline feast, Statuses statuses) {
    this(feast, statuses, new FeastMetrics(null));
  }

  /** The endpoints, recording Feast's request meters on {@code metrics}. */
  public FeastHttpApi(FeastOnline feast, Statuses statuses, FeastMetrics metrics) {
    this.feast = feast;
    this.statuses = statuses;
    this.metrics = metrics;
  }

  /**
   * {@code POST /get-online-features}; the answer is rendered on {@code renderOn} (the HTTP event
   * loop), so the Redis client's I/O thread only decodes replies.
   *
   * <p>The body is read in one pass straight into the lookup's inputs (feature names, entity
   * columns) when it is of the common shape; anything else (a malformed body, a value of an
   * unexpected type, a repeated field) is read again as a tree, which answers it exactly as before:
   * the one-pass reader only decides how fast a well-formed request is read.
   */
  public CompletableFuture<byte[]> getOnlineFeatures(JsonBody body, Executor renderOn) {
    int[] shape = new int[2]; // features, views: known once the request is read
    return timed(GET_ONLINE_FEATURES, shape, () -> lookup(body, renderOn, shape));
  }

  private CompletableFuture<byte[]> lookup(JsonBody body, Executor renderOn, int[] shape) {
    @Nullable LookupBody read;
    try (JsonParser parser = body.parser()) {
      read = LookupBody.read(parser);
    } catch (IOException e) {
      read = null; // malformed: the tree reader names the error
    }
    if (read == null) {
      return lookup(body.tree(), renderOn, shape);
    }
    FeastOnline.Columns columns =
        read.featureService() != null
            ? feast.service(read.featureService())
            : feast.listed(read.features());
    shape[0] = columns.refs().size();
    shape[1] = columns.viewCount();
    // Join keys the repository does not define are skipped by EntityRows' rules.
    EntityRows<JsonNode> rows =
        JsonInputs.entityRows(read.entities(), feast.entitiesByJoinKey(), feast.maxEntities());
    return lookupAndRender(columns, rows, read.fullFeatureNames(), renderOn);
  }

  private CompletableFuture<byte[]> lookupAndRender(
      FeastOnline.Columns columns,
      EntityRows<JsonNode> rows,
      boolean fullNames,
      Executor renderOn) {
    return feast
        .lookup(columns, rows, null)
        .thenApplyAsync(result -> render(result, columns, rows, fullNames), renderOn);
  }

  /**
   * A {@code /get-online-features} body of the common shape, read token by token: {@code features}
   * a non-empty list of strings or {@code feature_service} a string, {@code entities} a non-empty
   * object of lists of scalars (or of lists and objects, read as trees), {@code full_feature_names}
   * a boolean; other fields skipped.
   */
  private record LookupBody(
      @Nullable String featureService,
      List<String> features,
      Map<String, List<JsonNode>> entities,
      boolean fullFeatureNames) {

    /** The body, or null when it is not of the common shape (the tree reader then answers it). */
    static @Nullable LookupBody read(JsonParser p) throws IOException {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      @Nullable String service = null;
      List<String> features = List.of();
      Map<String, List<JsonNode>> entities = Map.of();
      boolean fullNames = false;
      Set<String> seen = new HashSet<>(8);
      for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
        JsonToken value = p.nextToken();
        switch (field) {
          case "features", "feature_service", "entities", "full_feature_names" -> {
            if (!seen.add(field)) {
              return null; // the tree keeps the last of repeated fields
            }
          }
          default -> {
            p.skipChildren();
            continue;
          }
        }
        switch (field) {
          case "features" -> {
            features = strings(p, value);
            if (features == null) {
              return null;
            }
          }
          case "feature_service" -> {
            if (value == JsonToken.VALUE_STRING) {
              service = p.getText();
            } else if (value != JsonToken.VALUE_NULL) {
              return null;
            }
          }
          case "entities" -> {
            entities = columns(p, value);
            if (entities == null) {
              return null;
            }
          }
          default -> {
            if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
              fullNames = value == JsonToken.VALUE_TRUE;
            } else if (value != JsonToken.VALUE_NULL) {
              return null;
            }
          }
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT
          || entities.isEmpty()
          || (service == null && features.isEmpty())) {
        return null;
      }
      return new LookupBody(service, features, entities, fullNames);
    }

    private static @Nullable List<String> strings(JsonParser p, JsonToken value)
        throws IOException {
      if (value != JsonToken.START_ARRAY) {
        return value == JsonToken.VALUE_NULL ? List.of() : null;
      }
      List<String> out = new ArrayList<>();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t != JsonToken.VALUE_STRING) {
          return null;
        }
        out.add(p.getText());
      }
      return out;
    }

    private static @Nullable Map<String, List<JsonNode>> columns(JsonParser p, JsonToken value)
        throws IOException {
      if (value != JsonToken.START_OBJECT) {
        return null;
      }
      Map<String, List<JsonNode>> out = new LinkedHashMap<>();
      for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
        if (p.nextToken() != JsonToken.START_ARRAY || out.containsKey(key)) {
          return null;
        }
        List<JsonNode> cells = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          cells.add(cell(p, t));
        }
        out.put(key, cells);
      }
      return out;
    }

    /** The cell at {@code t}, as the tree reader would have made it. */
    private static JsonNode cell(JsonParser p, JsonToken t) throws IOException {
      if (t == JsonToken.VALUE_STRING) {
        return TextNode.valueOf(p.getText());
      }
      if (t == JsonToken.VALUE_NUMBER_INT) {
        JsonParser.NumberType type = p.getNumberType();
        if (type == JsonParser.NumberType.INT) {
          return IntNode.valueOf(p.getIntValue());
        }
        if (type == JsonParser.NumberType.LONG) {
          return LongNode.valueOf(p.getLongValue());
        }
      }
      JsonNode tree = p.readValueAsTree();
      return tree == null ? NullNode.getInstance() : tree;
    }
  }

  /** {@code POST /get-online-features} of a body read as a tree. */
  private CompletableFuture<byte[]> lookup(JsonNode body, Executor renderOn, int[] shape) {
    requireObject(body);
    FeastOnline.Columns columns =
        body.hasNonNull("feature_service")
            ? feast.service(serviceName(body.get("feature_service")))
            : feast.listed(featureList(body.get("features")));
    shape[0] = columns.refs().size();
    shape[1] = columns.viewCount();
    JsonNode entities = body.get("entities");
    if (entities == null || !entities.isObject() || entities.isEmpty()) {
      throw ClientError.invalid("'entities' must be an object of join key -> list of values");
    }
    boolean fullNames = body.path("full_feature_names").asBoolean(false);
    EntityRows<JsonNode> rows =
        JsonInputs.entityRows(entities, feast.entitiesByJoinKey(), feast.maxEntities());
    return lookupAndRender(columns, rows, fullNames, renderOn);
  }

  private static String serviceName(JsonNode name) {
    if (!name.isTextual()) {
      throw ClientError.invalid("'feature_service' must be a string");
    }
    return name.textValue();
  }

  /** The strings of a {@code features} list, not copied. */
  private static List<String> featureList(@Nullable JsonNode features) {
    if (features == null || !features.isArray() || features.isEmpty()) {
      throw ClientError.invalid("'features' must be a non-empty list of 'feature_view:feature'");
    }
    for (JsonNode f : features) {
      if (!f.isTextual()) {
        throw ClientError.invalid("'features' must hold strings, found " + JsonInputs.kind(f));
      }
    }
    return new AbstractList<>() {
      @Override
      public String get(int index) {
        return features.get(index).textValue();
      }

      @Override
      public int size() {
        return features.size();
      }
    };
  }

  private byte[] render(
      OnlineFeatures result,
      FeastOnline.Columns columns,
      EntityRows<JsonNode> entities,
      boolean fullNames) {
    Map<String, List<JsonNode>> joinColumns = entities.columns();
    int rows = entities.size();
    int features = result.features().size();
    RenderedBytes out = new RenderedBytes(256 + rows * features * 48);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName(RESULTS);
      g.writeStartArray();
      for (List<JsonNode> column : joinColumns.values()) {
        g.writeStartObject();
        g.writeFieldName(VALUES);
        g.writeStartArray();
        for (JsonNode v : column) {
          g.writeTree(v);
        }
        g.writeEndArray();
        g.writeFieldName(STATUSES);
        g.writeStartArray();
        for (int r = 0; r < rows; r++) {
          g.writeString(STATUS_TEXT.get(FieldStatus.PRESENT));
        }
        g.writeEndArray();
        g.writeFieldName(EVENT_TIMESTAMPS);
        g.writeStartArray();
        for (int r = 0; r < rows; r++) {
          g.writeString(EPOCH_TEXT);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      // The features of one view share a row's event time: format each time once.
      Instant lastTime = Instant.EPOCH;
      SerializableString lastText = EPOCH_TEXT;
      for (int f = 0; f < features; f++) {
        g.writeStartObject();
        g.writeFieldName(VALUES);
        g.writeStartArray();
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
        g.writeFieldName(STATUSES);
        g.writeStartArray();
        for (int r = 0; r < rows; r++) {
          g.writeString(STATUS_TEXT.get(statuses.report(result.status(r, f))));
        }
        g.writeEndArray();
        g.writeFieldName(EVENT_TIMESTAMPS);
        g.writeStartArray();
        for (int r = 0; r < rows; r++) {
          Instant time = result.eventTime(r, f);
          if (!time.equals(lastTime)) {
            lastTime = time;
            lastText = new SerializedString(Timestamps.format(time));
          }
          g.writeString(lastText);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeFieldName(METADATA);
      g.writeStartObject();
      g.writeFieldName(FEATURE_NAMES);
      g.writeStartArray();
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

  private static Map<FieldStatus, SerializableString> statusTexts() {
    Map<FieldStatus, SerializableString> texts = new EnumMap<>(FieldStatus.class);
    for (FieldStatus s : FieldStatus.values()) {
      texts.put(s, new SerializedString(s.name()));
    }
    return texts;
  }

  /**
   * {@code POST /write-to-online-store}: {@code feature_view_name} and a column-major {@code df}.
   */
  public CompletableFuture<Integer> writeToOnlineStore(JsonNode body) {
    return timed("/write-to-online-store", new int[2], () -> write(body));
  }

  private CompletableFuture<Integer> write(JsonNode body) {
    requireObject(body);
    JsonNode name = body.get("feature_view_name");
    if (name == null || !name.isTextual()) {
      throw ClientError.invalid("'feature_view_name' is required");
    }
    return feast.writeToOnlineStore(name.textValue(), new JsonFrame(body.get("df")));
  }

  /**
   * {@code POST /push}: {@code push_source_name} names a push source of the Feast registry, whose
   * views are all written (without a registry, a view); {@code to} is {@code online} (the default),
   * {@code online_and_offline} or {@code offline}, and only the online part is written: inferis has
   * no offline store.
   */
  public CompletableFuture<Integer> push(JsonNode body) {
    return timed("/push", new int[2], () -> pushOnline(body));
  }

  private CompletableFuture<Integer> pushOnline(JsonNode body) {
    requireObject(body);
    JsonNode source = body.get("push_source_name");
    if (source == null || !source.isTextual()) {
      throw ClientError.invalid("'push_source_name' is required");
    }
    FeastOnline.requirePushTarget(body.path("to").asText("online"));
    return feast.push(source.textValue(), new JsonFrame(body.get("df")));
  }

  /**
   * {@code call}'s answer, recorded under {@code endpoint} in Feast's meters with the feature and
   * view counts {@code call} leaves in {@code shape} (zeros for a request without features).
   */
  private <T> CompletableFuture<T> timed(
      String endpoint, int[] shape, Supplier<CompletableFuture<T>> call) {
    long start = System.nanoTime();
    try {
      return call.get()
          .whenComplete((v, e) -> metrics.record(endpoint, shape[0], shape[1], start, e == null));
    } catch (RuntimeException e) {
      metrics.record(endpoint, shape[0], shape[1], start, false);
      throw e;
    }
  }

  private static void requireObject(@Nullable JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ClientError.invalid("the request body must be a JSON object");
    }
  }
}
