package io.inferis.monitoring;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The stored JSON of one record, with one-letter field names to keep members small:
 *
 * <pre>{@code
 * {"id":"q1v...","s":"<server>","m":"<model>","t":<epoch ms>,"l":<latency us>,
 *  "c":{"cat":0.91,"dog":0.09},   // classes, highest confidence first (or)
 *  "v":[1.5,2.0],                 // numeric outputs
 *  "g":{"tenant":"a"},            // caller tags
 *  "e":{"type":"java.lang.IllegalStateException","msg":"..."}}  // error records only
 * }</pre>
 *
 * Empty parts are omitted. Doubles are written in their shortest exact form, so a record
 * round-trips exactly. Encoding is done by the single flusher thread; decoding by readers. The
 * factory is thread-safe; this class holds no other state.
 */
final class RecordCodec {

  /** Longest stored error message; longer ones are cut. */
  static final int MAX_ERROR_MESSAGE = 256;

  private static final JsonFactory JSON = new JsonFactory();

  private RecordCodec() {}

  static String encode(StoredRecord s) {
    StringWriter out = new StringWriter(128);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      InferenceRecord r = s.record();
      g.writeStartObject();
      g.writeStringField("id", r.id());
      g.writeStringField("s", s.serverId());
      g.writeStringField("m", s.modelId());
      g.writeNumberField("t", s.eventTimeMillis());
      g.writeNumberField("l", r.latencyMicros());
      Prediction p = r.prediction();
      if (!p.classes().isEmpty()) {
        g.writeObjectFieldStart("c");
        for (Map.Entry<String, Double> e : p.classes().entrySet()) {
          g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
      }
      if (p.valueCount() > 0) {
        g.writeArrayFieldStart("v");
        for (int i = 0; i < p.valueCount(); i++) {
          g.writeNumber(p.value(i));
        }
        g.writeEndArray();
      }
      if (!r.tags().isEmpty()) {
        g.writeObjectFieldStart("g");
        for (Map.Entry<String, String> e : r.tags().entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
      }
      if (s.errorType() != null) {
        g.writeObjectFieldStart("e");
        g.writeStringField("type", s.errorType());
        if (s.errorMessage() != null) {
          g.writeStringField("msg", s.errorMessage());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode record " + s.record().id(), e);
    }
    return out.toString();
  }

  /**
   * Decodes a stored record.
   *
   * @throws IllegalArgumentException if {@code json} is not a record this codec wrote
   */
  static StoredRecord decode(String json) {
    try (JsonParser p = JSON.createParser(json)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      String id = null;
      String server = null;
      String model = null;
      long time = -1;
      long latency = 0;
      Prediction prediction = Prediction.none();
      Map<String, String> tags = Map.of();
      String errorType = null;
      String errorMessage = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "id" -> id = p.getText();
          case "s" -> server = p.getText();
          case "m" -> model = p.getText();
          case "t" -> time = p.getLongValue();
          case "l" -> latency = p.getLongValue();
          case "c" -> {
            expect(value, JsonToken.START_OBJECT);
            Map<String, Double> classes = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String label = p.currentName();
              p.nextToken();
              classes.put(label, p.getDoubleValue());
            }
            prediction = Prediction.classes(classes);
          }
          case "v" -> {
            expect(value, JsonToken.START_ARRAY);
            List<Double> values = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              values.add(p.getDoubleValue());
            }
            prediction = Prediction.values(values.stream().mapToDouble(d -> d).toArray());
          }
          case "g" -> {
            expect(value, JsonToken.START_OBJECT);
            tags = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String key = p.currentName();
              p.nextToken();
              tags.put(key, p.getText());
            }
          }
          case "e" -> {
            expect(value, JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String key = p.currentName();
              p.nextToken();
              if (key.equals("type")) {
                errorType = p.getText();
              } else if (key.equals("msg")) {
                errorMessage = p.getText();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
      if (id == null || server == null || model == null || time < 0) {
        throw new IllegalArgumentException("not a monitoring record: " + abbreviate(json));
      }
      InferenceRecord record =
          InferenceRecord.builder()
              .id(id)
              .eventTimeMillis(time)
              .latencyMicros(latency)
              .prediction(prediction)
              .tags(tags)
              .build();
      return new StoredRecord(server, model, time, record, errorType, errorMessage);
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith("not a")) {
        throw iae;
      }
      throw new IllegalArgumentException("not a monitoring record: " + abbreviate(json), e);
    }
  }

  /** The error message as stored: the throwable's message cut to {@link #MAX_ERROR_MESSAGE}. */
  static @Nullable String errorMessage(Throwable error) {
    String msg = error.getMessage();
    if (msg == null || msg.length() <= MAX_ERROR_MESSAGE) {
      return msg;
    }
    int end = MAX_ERROR_MESSAGE;
    if (Character.isHighSurrogate(msg.charAt(end - 1))) {
      end--;
    }
    return msg.substring(0, end);
  }

  private static void expect(@Nullable JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + expected + ", found " + actual);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
