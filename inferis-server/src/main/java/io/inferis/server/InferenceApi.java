package io.inferis.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldStatus;
import io.inferis.features.EntityDef;
import io.inferis.features.FeatureStore;
import io.inferis.features.OnlineFeatures;
import io.inferis.monitoring.InferenceRecord;
import io.inferis.monitoring.Prediction;
import io.inferis.monitoring.Recorder;
import io.inferis.server.feast.ClientError;
import io.inferis.server.feast.EntityRows;
import io.inferis.server.feast.JsonInputs;
import io.inferis.server.model.Model;
import io.inferis.server.model.Models;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code POST /infer/{model}}: fetches the model's features for the body's entity rows, adds raw
 * inputs, predicts each row, records every inference (and every failed one) with the monitoring
 * recorder, and answers the predictions with their inference ids. Body: {@code {"entities":
 * {"driver_id": [1001]}, "inputs": [{"x": 1.5}]}} (either part optional); entity rows follow {@link
 * EntityRows}' rules, as every endpoint's do. Thread-safe.
 */
final class InferenceApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FeatureStore store;
  private final Models models;
  private final Recorder recorder;
  private final int maxRows;
  private final int maxInputs;
  private final Map<String, EntityDef> entityByJoinKey;

  InferenceApi(FeatureStore store, Models models, Recorder recorder, int maxRows, int maxInputs) {
    this.store = store;
    this.models = models;
    this.recorder = recorder;
    this.maxRows = maxRows;
    this.maxInputs = maxInputs;
    this.entityByJoinKey = EntityRows.entitiesByJoinKey(store.repo());
  }

  /**
   * {@code POST /infer/{model}}: features from the store, then the model and the recorder run on
   * {@code continueOn} (the HTTP event loop), never on the Redis client's I/O thread.
   */
  CompletableFuture<byte[]> infer(String modelName, JsonNode body, Executor continueOn) {
    Model model =
        models
            .get(modelName)
            .orElseThrow(() -> ClientError.notFound("unknown model '" + modelName + "'"));
    if (body == null || !body.isObject()) {
      throw ClientError.invalid("the request body must be a JSON object");
    }
    long start = System.nanoTime();
    List<Map<String, FeatureValue>> entityRows =
        JsonInputs.entityRows(body.get("entities"), entityByJoinKey, maxRows).rows();
    List<Map<String, Double>> raw = rawInputs(body.get("inputs"));
    int rows = Math.max(entityRows.size(), raw.size());
    if (rows == 0) {
      throw ClientError.invalid(
          "give 'entities' (join key -> values) and/or 'inputs' (list of objects)");
    }
    if (!entityRows.isEmpty() && !raw.isEmpty() && entityRows.size() != raw.size()) {
      throw ClientError.invalid("'entities' and 'inputs' must have the same number of rows");
    }
    if (rows > maxRows) {
      throw ClientError.tooLarge("too many rows: " + rows + " (limit " + maxRows + ")");
    }
    List<String> refs = model.inputs().stream().filter(i -> i.contains(":")).toList();
    CompletableFuture<OnlineFeatures> features =
        refs.isEmpty() || entityRows.isEmpty()
            ? CompletableFuture.completedFuture(null)
            : store.getOnlineFeatures(refs, entityRows);
    return features.thenApplyAsync(
        f -> {
          ObjectNode out = JSON.createObjectNode().put("model", model.name());
          ArrayNode predictions = out.putArray("predictions");
          for (int r = 0; r < rows; r++) {
            Map<String, Double> inputs = new HashMap<>(raw.isEmpty() ? Map.of() : raw.get(r));
            try {
              if (f != null) {
                for (int i = 0; i < refs.size(); i++) {
                  if (f.status(r, i) == FieldStatus.PRESENT
                      || f.status(r, i) == FieldStatus.OUTSIDE_MAX_AGE) {
                    inputs.put(refs.get(i), number(f.value(r, i)));
                  }
                }
              }
              Prediction p = model.predict(inputs);
              InferenceRecord rec =
                  InferenceRecord.builder()
                      .latency(Duration.ofNanos(System.nanoTime() - start))
                      .prediction(p)
                      .build();
              recorder.record(model.name(), rec);
              ObjectNode item = predictions.addObject().put("inference_id", rec.id());
              p.topClass().ifPresent(c -> item.put("class", c));
              if (!p.classes().isEmpty()) {
                ObjectNode classes = item.putObject("classes");
                p.classes().forEach(classes::put);
              }
              if (p.values().length > 0) {
                ArrayNode values = item.putArray("values");
                for (double v : p.values()) {
                  values.add(v);
                }
              }
            } catch (IllegalArgumentException e) {
              InferenceRecord rec =
                  InferenceRecord.builder()
                      .latency(Duration.ofNanos(System.nanoTime() - start))
                      .build();
              recorder.recordError(model.name(), rec, e);
              throw ClientError.invalid("row " + r + ": " + e.getMessage());
            }
          }
          try {
            return JSON.writeValueAsBytes(out);
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
          }
        },
        continueOn);
  }

  private static double number(FeatureValue v) {
    return switch (v.type()) {
      case INT32 -> v.int32Value();
      case INT64, UNIX_TIMESTAMP -> v.int64Value();
      case FLOAT -> v.floatValue();
      case DOUBLE -> v.doubleValue();
      case BOOL -> v.boolValue() ? 1 : 0;
      default ->
          throw new IllegalArgumentException("feature of type " + v.type() + " is not numeric");
    };
  }

  private List<Map<String, Double>> rawInputs(JsonNode inputs) {
    List<Map<String, Double>> rows = new ArrayList<>();
    if (inputs == null || inputs.isNull()) {
      return rows;
    }
    if (!inputs.isArray()) {
      throw ClientError.invalid("'inputs' must be a list of objects of name -> number");
    }
    for (JsonNode row : inputs) {
      if (!row.isObject()) {
        throw ClientError.invalid("'inputs' must be a list of objects of name -> number");
      }
      if (row.size() > maxInputs) {
        throw ClientError.tooLarge(
            "too many inputs in a row: " + row.size() + " (limit " + maxInputs + ")");
      }
      Map<String, Double> m = new HashMap<>();
      row.fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().isNumber()) {
                  throw ClientError.invalid("inputs." + e.getKey() + " must be a number");
                }
                m.put(e.getKey(), e.getValue().doubleValue());
              });
      rows.add(m);
    }
    return rows;
  }
}
