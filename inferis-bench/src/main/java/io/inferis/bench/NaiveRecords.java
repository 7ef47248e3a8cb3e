package io.inferis.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.monitoring.InferenceRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The baseline's record encoding: a plain JSON object with descriptive field names, as a
 * straightforward implementation writes it (the incident's implementation stored one such document
 * per inference). Same information as inferis's compact encoding.
 */
final class NaiveRecords {

  private static final ObjectMapper JSON = new ObjectMapper();

  private NaiveRecords() {}

  static String json(String server, String model, long timeMillis, InferenceRecord r) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("inference_id", r.id());
    doc.put("server_id", server);
    doc.put("model_id", model);
    doc.put("timestamp", timeMillis);
    doc.put("latency_ms", r.latencyMicros() / 1000.0);
    doc.put("prediction", r.prediction().classes());
    doc.put("tags", r.tags());
    try {
      return JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
