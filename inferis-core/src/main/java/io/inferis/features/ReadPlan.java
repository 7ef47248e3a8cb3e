package io.inferis.features;

import io.inferis.feast.EntityKeys;
import io.inferis.feast.FeastCodecException;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldHashes;
import io.inferis.feast.FieldStatus;
import io.inferis.feast.Timestamps;
import io.inferis.feast.ValueCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The reads one lookup needs, worked out before anything is sent: one HMGET per distinct entity key
 * (views sharing join keys share a hash), listing each field once, and for every (row, feature)
 * where its value and timestamp will be in the replies. Building it validates the whole request, so
 * a bad request sends nothing.
 */
final class ReadPlan {

  /** One HMGET. */
  static final class KeyRead {
    final byte[] key;
    final List<byte[]> fields = new ArrayList<>();
    private final Map<ByteBuffer, Integer> positions = new LinkedHashMap<>();

    KeyRead(byte[] key) {
      this.key = key;
    }

    int field(byte[] field) {
      return positions.computeIfAbsent(
          ByteBuffer.wrap(field),
          f -> {
            fields.add(field);
            return fields.size() - 1;
          });
    }
  }

  private final List<FeatureRef> refs;
  private final List<FeatureViewDef> refViews;
  private final int rows;
  private final List<KeyRead> reads = new ArrayList<>();
  // Per (row, feature): index of the KeyRead, and the positions of the value and _ts fields.
  private final int[] readIndex;
  private final int[] valuePos;
  private final int[] tsPos;

  private ReadPlan(List<FeatureRef> refs, List<FeatureViewDef> refViews, int rows) {
    this.refs = refs;
    this.refViews = refViews;
    this.rows = rows;
    this.readIndex = new int[rows * refs.size()];
    this.valuePos = new int[rows * refs.size()];
    this.tsPos = new int[rows * refs.size()];
  }

  static ReadPlan of(
      FeatureRepo repo, List<String> featureRefs, List<Map<String, FeatureValue>> rows) {
    if (featureRefs == null || featureRefs.isEmpty()) {
      throw new IllegalArgumentException("at least one feature reference is required");
    }
    if (rows == null || rows.isEmpty()) {
      throw new IllegalArgumentException("at least one entity row is required");
    }
    List<FeatureRef> refs = new ArrayList<>(featureRefs.size());
    List<FeatureViewDef> views = new ArrayList<>(featureRefs.size());
    for (String s : featureRefs) {
      FeatureRef ref = FeatureRef.parse(s);
      FeatureViewDef view = repo.requireView(ref.view());
      if (view.feature(ref.feature()).isEmpty()) {
        throw new UnknownFeatureException(
            "feature '" + ref.feature() + "' is not defined in feature view '" + ref.view() + "'");
      }
      refs.add(ref);
      views.add(view);
    }
    ReadPlan plan = new ReadPlan(refs, views, rows.size());
    Map<ByteBuffer, Integer> byKey = new LinkedHashMap<>();
    Map<String, byte[]> keyCache = new LinkedHashMap<>();
    for (int r = 0; r < rows.size(); r++) {
      Map<String, FeatureValue> row = rows.get(r);
      if (row == null) {
        throw new IllegalArgumentException("entity row " + r + " is null");
      }
      keyCache.clear();
      for (int f = 0; f < refs.size(); f++) {
        FeatureViewDef view = views.get(f);
        int row0 = r;
        byte[] key =
            keyCache.computeIfAbsent(
                String.join("\u0000", view.entities()),
                k -> EntityKeys.redisKey(RowKeys.entityKey(repo, view, row, row0), repo.project()));
        Integer idx = byKey.get(ByteBuffer.wrap(key));
        if (idx == null) {
          idx = plan.reads.size();
          plan.reads.add(new KeyRead(key));
          byKey.put(ByteBuffer.wrap(key), idx);
        }
        KeyRead read = plan.reads.get(idx);
        int cell = r * refs.size() + f;
        plan.readIndex[cell] = idx;
        plan.valuePos[cell] =
            read.field(FieldHashes.featureField(view.name(), refs.get(f).feature()));
        plan.tsPos[cell] = read.field(FieldHashes.timestampField(view.name()));
      }
    }
    return plan;
  }

  List<KeyRead> reads() {
    return reads;
  }

  /** Decodes the replies ({@code replies.get(i)} answers {@code reads().get(i)}). */
  OnlineFeatures assemble(List<List<byte @Nullable []>> replies, Instant now) {
    int cells = rows * refs.size();
    FeatureValue[] values = new FeatureValue[cells];
    FieldStatus[] statuses = new FieldStatus[cells];
    Instant[] times = new Instant[cells];
    for (int cell = 0; cell < cells; cell++) {
      List<byte @Nullable []> reply = replies.get(readIndex[cell]);
      byte[] raw = reply.get(valuePos[cell]);
      byte[] ts = reply.get(tsPos[cell]);
      Instant eventTime = decodeTime(ts);
      times[cell] = eventTime;
      if (raw == null) {
        values[cell] = FeatureValue.empty();
        statuses[cell] = FieldStatus.NOT_FOUND;
        continue;
      }
      FeatureValue v;
      try {
        v = ValueCodec.decode(raw);
      } catch (FeastCodecException e) {
        values[cell] = FeatureValue.empty();
        statuses[cell] = FieldStatus.INVALID;
        continue;
      }
      values[cell] = v;
      Duration ttl = refViews.get(cell % refs.size()).ttl();
      if (v.isNull()) {
        statuses[cell] = FieldStatus.NULL_VALUE;
      } else if (!ttl.isZero()
          && ts != null
          && Duration.between(eventTime, now).compareTo(ttl) > 0) {
        statuses[cell] = FieldStatus.OUTSIDE_MAX_AGE;
      } else {
        statuses[cell] = FieldStatus.PRESENT;
      }
    }
    return new OnlineFeatures(refs, rows, values, statuses, times);
  }

  private static Instant decodeTime(byte @Nullable [] ts) {
    if (ts == null) {
      return Instant.EPOCH;
    }
    try {
      return Timestamps.decode(ts);
    } catch (FeastCodecException e) {
      return Instant.EPOCH;
    }
  }
}
