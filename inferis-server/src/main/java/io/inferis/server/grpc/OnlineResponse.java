package io.inferis.server.grpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldStatus;
import io.inferis.feast.ValueCodec;
import io.inferis.features.OnlineFeatures;
import io.inferis.server.feast.FeastOnline;
import io.inferis.server.feast.Statuses;
import io.inferis.server.grpc.proto.Value;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@code feast.serving.GetOnlineFeaturesResponse} straight from a lookup's result, without
 * building a message per value: the stored values are written by {@link ValueCodec}, the bytes
 * Feast stores being the bytes of a {@code feast.types.Value}. The shape is Feast's: one vector per
 * column, the join-key columns first (the request's values, {@code PRESENT}, the epoch as time),
 * then the features; a value the store could not read is a null, whatever the statuses say.
 */
final class OnlineResponse {

  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  // GetOnlineFeaturesResponse
  private static final int METADATA = 1;
  private static final int RESULTS = 2;
  // GetOnlineFeaturesResponseMetadata
  private static final int FEATURE_NAMES = 1;
  // FeatureList
  private static final int VAL = 1;
  // FeatureVector
  private static final int VALUES = 1;
  private static final int STATUSES = 2;
  private static final int EVENT_TIMESTAMPS = 3;
  // google.protobuf.Timestamp
  private static final int SECONDS = 1;
  private static final int NANOS = 2;

  private OnlineResponse() {}

  /** The response's bytes. */
  static byte[] write(
      OnlineFeatures result,
      FeastOnline.Columns columns,
      Map<String, List<Value>> joinColumns,
      boolean fullNames,
      Statuses statuses) {
    int rows = result.rowCount();
    int features = result.features().size();
    String[] names = new String[joinColumns.size() + features];
    int n = 0;
    for (String k : joinColumns.keySet()) {
      names[n++] = k;
    }
    for (int f = 0; f < features; f++) {
      names[n++] = columns.name(result, f, fullNames);
    }
    int namesSize = 0;
    for (String name : names) {
      namesSize += CodedOutputStream.computeStringSize(VAL, name);
    }
    int featureListSize = delimited(FEATURE_NAMES, namesSize);
    int[] vectorSizes = new int[names.length];
    int total = delimited(METADATA, featureListSize);
    n = 0;
    for (List<Value> column : joinColumns.values()) {
      int values = 0;
      for (Value v : column) {
        values += delimited(VALUES, v.getSerializedSize());
      }
      // Statuses: PRESENT (1) is one byte each; times: an empty Timestamp each.
      vectorSizes[n] = values + delimited(STATUSES, rows) + rows * delimited(EVENT_TIMESTAMPS, 0);
      total += delimited(RESULTS, vectorSizes[n++]);
    }
    for (int f = 0; f < features; f++) {
      int values = 0;
      int statusBytes = 0;
      int times = 0;
      for (int r = 0; r < rows; r++) {
        values += delimited(VALUES, ValueCodec.encodedSize(value(result, r, f)));
        statusBytes += CodedOutputStream.computeEnumSizeNoTag(status(result, r, f, statuses));
        times += delimited(EVENT_TIMESTAMPS, timestampSize(result.eventTime(r, f)));
      }
      vectorSizes[n] = values + delimited(STATUSES, statusBytes) + times;
      total += delimited(RESULTS, vectorSizes[n++]);
    }
    byte[] bytes = new byte[total];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeTag(METADATA, LEN);
      out.writeUInt32NoTag(featureListSize);
      out.writeTag(FEATURE_NAMES, LEN);
      out.writeUInt32NoTag(namesSize);
      for (String name : names) {
        out.writeString(VAL, name);
      }
      n = 0;
      for (List<Value> column : joinColumns.values()) {
        out.writeTag(RESULTS, LEN);
        out.writeUInt32NoTag(vectorSizes[n++]);
        for (Value v : column) {
          out.writeTag(VALUES, LEN);
          out.writeUInt32NoTag(v.getSerializedSize());
          v.writeTo(out);
        }
        out.writeTag(STATUSES, LEN);
        out.writeUInt32NoTag(rows);
        for (int r = 0; r < rows; r++) {
          out.writeEnumNoTag(FieldStatus.PRESENT.number());
        }
        for (int r = 0; r < rows; r++) {
          out.writeTag(EVENT_TIMESTAMPS, LEN);
          out.writeUInt32NoTag(0);
        }
      }
      for (int f = 0; f < features; f++) {
        out.writeTag(RESULTS, LEN);
        out.writeUInt32NoTag(vectorSizes[n++]);
        int statusBytes = 0;
        for (int r = 0; r < rows; r++) {
          FeatureValue v = value(result, r, f);
          out.writeTag(VALUES, LEN);
          out.writeUInt32NoTag(ValueCodec.encodedSize(v));
          ValueCodec.writeTo(out, v);
          statusBytes += CodedOutputStream.computeEnumSizeNoTag(status(result, r, f, statuses));
        }
        out.writeTag(STATUSES, LEN);
        out.writeUInt32NoTag(statusBytes);
        for (int r = 0; r < rows; r++) {
          out.writeEnumNoTag(status(result, r, f, statuses));
        }
        for (int r = 0; r < rows; r++) {
          Instant t = result.eventTime(r, f);
          out.writeTag(EVENT_TIMESTAMPS, LEN);
          out.writeUInt32NoTag(timestampSize(t));
          if (t.getEpochSecond() != 0) {
            out.writeInt64(SECONDS, t.getEpochSecond());
          }
          if (t.getNano() != 0) {
            out.writeInt32(NANOS, t.getNano());
          }
        }
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("response size miscomputed", e);
    }
    return bytes;
  }

  /** A value the store could not read is a null under both conventions. */
  private static FeatureValue value(OnlineFeatures result, int row, int feature) {
    FieldStatus s = result.status(row, feature);
    return s == FieldStatus.NOT_FOUND || s == FieldStatus.INVALID
        ? FeatureValue.empty()
        : result.value(row, feature);
  }

  private static int status(OnlineFeatures result, int row, int feature, Statuses statuses) {
    return statuses.report(result.status(row, feature)).number();
  }

  private static int timestampSize(Instant t) {
    return (t.getEpochSecond() == 0
            ? 0
            : CodedOutputStream.computeInt64Size(SECONDS, t.getEpochSecond()))
        + (t.getNano() == 0 ? 0 : CodedOutputStream.computeInt32Size(NANOS, t.getNano()));
  }

  private static int delimited(int field, int length) {
    return CodedOutputStream.computeTagSize(field)
        + CodedOutputStream.computeUInt32SizeNoTag(length)
        + length;
  }
}
