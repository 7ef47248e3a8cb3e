package io.inferis.server.grpc;

import io.inferis.feast.FeatureValue;
import io.inferis.feast.Timestamps;
import io.inferis.feast.ValueType;
import io.inferis.server.feast.ClientError;
import io.inferis.server.feast.Frame;
import io.inferis.server.grpc.proto.Value;
import java.time.Instant;
import java.util.Map;

/**
 * The one row of a {@code Push} or {@code WriteToOnlineStore} request: its {@code features} map of
 * texts, or its {@code typed_features} map of values (Feast allows one of the two, not both).
 */
final class ProtoFrame implements Frame {

  private final Map<String, String> texts;
  private final Map<String, Value> typed;

  private ProtoFrame(Map<String, String> texts, Map<String, Value> typed) {
    this.texts = texts;
    this.typed = typed;
  }

  /**
   * The row of a request with {@code features} and {@code typedFeatures}.
   *
   * @throws ClientError when both or neither are set
   */
  static ProtoFrame of(Map<String, String> features, Map<String, Value> typedFeatures) {
    if (!features.isEmpty() && !typedFeatures.isEmpty()) {
      throw ClientError.invalid("Only one of features or typed_features may be set, not both");
    }
    if (features.isEmpty() && typedFeatures.isEmpty()) {
      throw ClientError.invalid("the request has no features: set features or typed_features");
    }
    return new ProtoFrame(features, typedFeatures);
  }

  @Override
  public String name() {
    return typed.isEmpty() ? "features" : "typed_features";
  }

  @Override
  public int rows() {
    return 1;
  }

  @Override
  public boolean has(String column) {
    return texts.containsKey(column) || typed.containsKey(column);
  }

  @Override
  public FeatureValue value(String column, int row, ValueType type) {
    String what = name() + "[" + column + "]";
    String text = texts.get(column);
    if (text != null) {
      return ProtoInputs.text(text, type, what);
    }
    return ProtoInputs.value(typed.get(column), type, what);
  }

  @Override
  public Instant timestamp(String column, int row) {
    String what = name() + "[" + column + "]";
    String text = texts.get(column);
    if (text != null) {
      return ProtoInputs.timestamp(text, what);
    }
    Value v = typed.get(column);
    return switch (v.getValCase()) {
      case UNIX_TIMESTAMP_VAL -> epochSeconds(v.getUnixTimestampVal(), what);
      case INT64_VAL -> epochSeconds(v.getInt64Val(), what);
      case STRING_VAL -> ProtoInputs.timestamp(v.getStringVal(), what);
      default ->
          throw ClientError.invalid(
              what + " must be a unix_timestamp_val, an int64_val or a string_val event time");
    };
  }

  private static Instant epochSeconds(long seconds, String what) {
    if (seconds < Timestamps.MIN.getEpochSecond() || seconds > Timestamps.MAX.getEpochSecond()) {
      throw ClientError.invalid(
          what + ": " + seconds + " epoch seconds is outside years 1 to 9999");
    }
    return Instant.ofEpochSecond(seconds);
  }
}
