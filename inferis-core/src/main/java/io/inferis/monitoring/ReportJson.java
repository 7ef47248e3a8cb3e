package io.inferis.monitoring;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The report payload (documented in docs/OPERATIONS.md, "Monitoring"):
 *
 * <pre>{@code
 * {"id":"<server>:<windowStart>","server":"<server>","scope":"server|all",
 *  "windowStart":<ms>,"windowEnd":<ms>,"generatedAt":<ms>,"final":false,
 *  "servers":["..."],
 *  "models":[{"model":"m","inferences":n,"errors":n,
 *             "latencyMs":{"p50":x,"p95":x,"p99":x,"max":x},"classes":{"cat":n}}],
 *  "dropped":{"records":n,"failedRecords":n,"reports":n}}
 * }</pre>
 */
final class ReportJson {

  private static final JsonFactory JSON = new JsonFactory();

  private ReportJson() {}

  /** The idempotent report id: the reporting server and the window start. */
  static String id(String serverId, long windowStartMillis) {
    return serverId + ":" + windowStartMillis;
  }

  static byte[] encode(
      String id,
      String serverId,
      MonitoringSummary s,
      long generatedAtMillis,
      boolean isFinal,
      MonitorStats stats) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeStringField("server", serverId);
      g.writeStringField("scope", s.scope().jsonName());
      g.writeNumberField("windowStart", s.windowStartMillis());
      g.writeNumberField("windowEnd", s.windowEndMillis());
      g.writeNumberField("generatedAt", generatedAtMillis);
      g.writeBooleanField("final", isFinal);
      g.writeArrayFieldStart("servers");
      for (String server : s.servers()) {
        g.writeString(server);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("models");
      for (ModelSummary m : s.models()) {
        g.writeStartObject();
        g.writeStringField("model", m.model());
        g.writeNumberField("inferences", m.inferences());
        g.writeNumberField("errors", m.errors());
        g.writeObjectFieldStart("latencyMs");
        g.writeNumberField("p50", m.p50Millis());
        g.writeNumberField("p95", m.p95Millis());
        g.writeNumberField("p99", m.p99Millis());
        g.writeNumberField("max", m.maxMillis());
        g.writeEndObject();
        g.writeObjectFieldStart("classes");
        for (Map.Entry<String, Long> c : m.classCounts().entrySet()) {
          g.writeNumberField(c.getKey(), c.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("dropped");
      g.writeNumberField("records", stats.droppedRecords());
      g.writeNumberField("failedRecords", stats.failedRecords());
      g.writeNumberField("reports", stats.reportsDropped());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode report " + id, e);
    }
    return out.toByteArray();
  }
}
