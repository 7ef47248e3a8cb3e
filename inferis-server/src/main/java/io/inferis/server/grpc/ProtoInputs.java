package io.inferis.server.grpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.inferis.feast.FeastCodecException;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.ValueCodec;
import io.inferis.feast.ValueType;
import io.inferis.server.feast.ClientError;
import io.inferis.server.feast.JsonInputs;
import io.inferis.server.grpc.proto.Value;
import java.time.Instant;

/**
 * Converts the values of a gRPC request to the type the repository declares (as over HTTP, the
 * registry decides the type): a {@code feast.types.Value} of that type, or of a type that converts
 * without loss (an integer to a wider integer or to a float, a float to a double, a string to a
 * UUID or decimal); and the text of a {@code features} map, read as JSON would be. Every failure is
 * a {@link ClientError} naming the field. Stateless; thread-safe.
 */
final class ProtoInputs {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ProtoInputs() {}

  /** {@code v} as a value of {@code type}; empty for an unset value or a null. */
  static FeatureValue value(Value v, ValueType type, String what) {
    if (v.getValCase() == Value.ValCase.VAL_NOT_SET || v.getValCase() == Value.ValCase.NULL_VAL) {
      return FeatureValue.empty();
    }
    FeatureValue given;
    try {
      given = ValueCodec.decode(v.toByteArray());
    } catch (FeastCodecException e) {
      throw ClientError.invalid(what + ": " + e.getMessage());
    }
    if (given.type() == type) {
      return given;
    }
    FeatureValue converted = convert(given, type);
    if (converted == null) {
      throw ClientError.invalid(
          what + " is a " + given.type() + " value; the repository declares " + type);
    }
    return converted;
  }

  private static FeatureValue convert(FeatureValue v, ValueType type) {
    boolean integral =
        v.type() == ValueType.INT32
            || v.type() == ValueType.INT64
            || v.type() == ValueType.UNIX_TIMESTAMP;
    if (integral) {
      long n = v.type() == ValueType.INT32 ? v.int32Value() : v.int64Value();
      return switch (type) {
        case INT64 -> FeatureValue.ofInt64(n);
        case UNIX_TIMESTAMP -> FeatureValue.ofUnixTimestamp(n);
        case INT32 -> n == (int) n ? FeatureValue.ofInt32((int) n) : null;
        case DOUBLE -> FeatureValue.ofDouble(n);
        case FLOAT -> FeatureValue.ofFloat(n);
        default -> null;
      };
    }
    if (v.type() == ValueType.FLOAT && type == ValueType.DOUBLE) {
      return FeatureValue.ofDouble(v.floatValue());
    }
    if (v.type() == ValueType.STRING) {
      return switch (type) {
        case UUID -> FeatureValue.ofUuid(v.stringValue());
        case TIME_UUID -> FeatureValue.ofTimeUuid(v.stringValue());
        case DECIMAL -> FeatureValue.ofDecimal(v.stringValue());
        case JSON -> FeatureValue.ofJson(v.stringValue());
        default -> null;
      };
    }
    return null;
  }

  /**
   * The text of a {@code features} map entry as a value of {@code type}: a string type takes the
   * text as it is; any other reads it as the JSON it would be over HTTP ({@code 1.5}, {@code true},
   * {@code [1, 2]}).
   */
  static FeatureValue text(String text, ValueType type, String what) {
    return JsonInputs.value(textAsJson(text, type, what), type, what);
  }

  /** The text of a {@code features} map entry as an event time, as over HTTP. */
  static Instant timestamp(String text, String what) {
    return JsonInputs.timestamp(TextNode.valueOf(text), what);
  }

  private static JsonNode textAsJson(String text, ValueType type, String what) {
    switch (type) {
      case STRING, JSON, UUID, TIME_UUID, DECIMAL, BYTES, UNIX_TIMESTAMP:
        return TextNode.valueOf(text);
      default:
        try {
          return JSON.readTree(text);
        } catch (JsonProcessingException e) {
          throw ClientError.invalid(what + ": '" + text + "' is not a " + type + " value");
        }
    }
  }
}
