package io.inferis.features;

import io.inferis.feast.EntityKeys;
import io.inferis.feast.FeastCodecException;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldHashes;
import io.inferis.feast.FieldStatus;
import io.inferis.feast.Timestamps;
import io.inferis.feast.ValueCodec;
import io.inferis.features.internal.HashStore;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The reads one lookup needs, worked out before anything is sent: one HMGET per distinct entity
 * key, where views that share join keys share a hash and so one HMGET. The field list of a hash is
 * the same for every row, so it is built once per request (a "group": the views with the same
 * entities) and every row's read reuses it. Building the plan validates the whole request, so a bad
 * request sends nothing.
 */
final class ReadPlan {

  /** One read: the key, its group's prepared fields, and whether to read the whole hash. */
  static final class KeyRead implements HashStore.Read {
    final byte[] key;
    final HashStore.Fields fields;
    final int group;
    final boolean wholeHash;

    KeyRead(byte[] key, HashStore.Fields fields, int group, boolean wholeHash) {
      this.key = key;
      this.fields = fields;
      this.group = group;
      this.wholeHash = wholeHash;
    }

    @Override
    public byte[] key() {
      return key;
    }

    @Override
    public HashStore.Fields fields() {
      return fields;
    }

    @Override
    public boolean wholeHash() {
      return wholeHash;
    }
  }

  /**
   * HGETALL instead of HMGET when at least {@value #WHOLE_HASH_MIN_FIELDS} fields are wanted and
   * they are at least half of every field the repository can put in that hash (all views with the
   * same entities). Measured in docs/BENCHMARKS.md: HMGET of 251 fields on a 275-field listpack
   * hash ran 3.4k/s, HGETALL of it 27k/s; for 11 of 11 fields 391k/s vs 550k/s.
   */
  static final int WHOLE_HASH_MIN_FIELDS = 8;

  /** The views of one entity set, the fields to read, and where each ref's value/_ts lands. */
  private static final class Group {
    final FeatureViewDef anyView;
    final List<byte[]> fields = new ArrayList<>();
    HashStore.Fields prepared = new HashStore.PlainFields(List.of());
    final List<Integer> tsPositions = new ArrayList<>();
    final Map<String, Integer> tsIndexByView = new HashMap<>();
    boolean wholeHash;

    Group(FeatureViewDef anyView) {
      this.anyView = anyView;
    }
  }

  /** The part of a plan that depends only on the feature references: built once, cached. */
  private static final class Template {
    final List<FeatureRef> refs;
    final List<Duration> refTtl;
    final int[] refGroup;
    final int[] refValuePos;
    final int[] refTsIndex;
    final List<Group> groups;

    Template(FeatureRepo repo, HashStore store, List<String> featureRefs) {
      List<FeatureRef> parsed = new ArrayList<>(featureRefs.size());
      List<FeatureViewDef> views = new ArrayList<>(featureRefs.size());
      for (String s : featureRefs) {
        FeatureRef ref = FeatureRef.parse(s);
        FeatureViewDef view = repo.requireView(ref.view());
        if (view.feature(ref.feature()).isEmpty()) {
          throw new UnknownFeatureException(
              "feature '"
                  + ref.feature()
                  + "' is not defined in feature view '"
                  + ref.view()
                  + "'");
        }
        parsed.add(ref);
        views.add(view);
      }
      refs = List.copyOf(parsed);
      refTtl = views.stream().map(FeatureViewDef::ttl).toList();
      refGroup = new int[refs.size()];
      refValuePos = new int[refs.size()];
      refTsIndex = new int[refs.size()];
      groups = new ArrayList<>();
      Map<List<String>, Integer> groupOf = new LinkedHashMap<>();
      for (int f = 0; f < refs.size(); f++) {
        FeatureViewDef view = views.get(f);
        List<String> entitySet = view.entities().stream().sorted().toList();
        Integer g = groupOf.get(entitySet);
        if (g == null) {
          g = groups.size();
          groupOf.put(entitySet, g);
          groups.add(new Group(view));
        }
        refGroup[f] = g;
        Group group = groups.get(g);
        refValuePos[f] = group.fields.size();
        group.fields.add(FieldHashes.featureField(view.name(), refs.get(f).feature()));
      }
      for (int f = 0; f < refs.size(); f++) {
        Group group = groups.get(refGroup[f]);
        String view = views.get(f).name();
        Integer ts = group.tsIndexByView.get(view);
        if (ts == null) {
          ts = group.tsPositions.size();
          group.tsIndexByView.put(view, ts);
          group.tsPositions.add(group.fields.size());
          group.fields.add(FieldHashes.timestampField(view));
        }
        refTsIndex[f] = ts;
      }
      for (Group group : groups) {
        List<String> entitySet = group.anyView.entities().stream().sorted().toList();
        int possible = 0;
        for (FeatureViewDef v : repo.views()) {
          if (v.entities().stream().sorted().toList().equals(entitySet)) {
            possible += v.features().size() + 1;
          }
        }
        group.wholeHash =
            group.fields.size() >= WHOLE_HASH_MIN_FIELDS && 2 * group.fields.size() >= possible;
        group.prepared = store.prepare(group.fields);
      }
    }
  }

  /**
   * The templates of one store's repository, by reference list, with their fields prepared by that
   * store; owned by the store (no global state, no lock on the lookup path) and cleared when it
   * grows past its bound.
   */
  static final class Templates {
    private static final int MAX_TEMPLATES = 1024;

    private final FeatureRepo repo;
    private final HashStore store;
    private final Map<List<String>, Template> byRefs = new ConcurrentHashMap<>();

    Templates(FeatureRepo repo, HashStore store) {
      this.repo = repo;
      this.store = store;
    }

    FeatureRepo repo() {
      return repo;
    }

    Template get(List<String> featureRefs) {
      Template template = byRefs.get(featureRefs);
      if (template == null) {
        template = new Template(repo, store, featureRefs);
        if (byRefs.size() >= MAX_TEMPLATES) {
          byRefs.clear();
        }
        byRefs.put(List.copyOf(featureRefs), template);
      }
      return template;
    }
  }

  private final Template t;
  private final int rows;
  private final List<KeyRead> reads = new ArrayList<>();
  private final int[] rowGroupRead; // [row * groups + group] -> index into reads

  private ReadPlan(Template t, int rows) {
    this.t = t;
    this.rows = rows;
    this.rowGroupRead = new int[rows * t.groups.size()];
  }

  static ReadPlan of(
      Templates templates, List<String> featureRefs, List<Map<String, FeatureValue>> rows) {
    if (featureRefs == null || featureRefs.isEmpty()) {
      throw new InvalidRequestException("at least one feature reference is required");
    }
    if (rows == null || rows.isEmpty()) {
      throw new InvalidRequestException("at least one entity row is required");
    }
    FeatureRepo repo = templates.repo;
    Template template = templates.get(featureRefs);
    ReadPlan plan = new ReadPlan(template, rows.size());
    List<Group> groups = template.groups;
    // Rows that name the same entity share a read. One row's groups never share a key: their
    // entity sets, and so their keys, differ.
    Map<ByteBuffer, Integer> byKey =
        rows.size() == 1 ? Map.of() : new HashMap<>(4 * rows.size() * groups.size());
    for (int r = 0; r < rows.size(); r++) {
      Map<String, FeatureValue> row = rows.get(r);
      if (row == null) {
        throw new InvalidRequestException("entity row " + r + " is null");
      }
      for (int g = 0; g < groups.size(); g++) {
        Group group = groups.get(g);
        byte[] key =
            EntityKeys.redisKey(RowKeys.entityKey(repo, group.anyView, row, r), repo.project());
        Integer idx =
            rows.size() == 1 ? null : byKey.putIfAbsent(ByteBuffer.wrap(key), plan.reads.size());
        if (idx == null) {
          idx = plan.reads.size();
          plan.reads.add(new KeyRead(key, group.prepared, g, group.wholeHash));
        }
        plan.rowGroupRead[r * groups.size() + g] = idx;
      }
    }
    return plan;
  }

  List<KeyRead> reads() {
    return reads;
  }

  /** Decodes the replies ({@code replies.get(i)} answers {@code reads().get(i)}). */
  OnlineFeatures assemble(List<List<byte @Nullable []>> replies, Instant now) {
    // Each read's timestamps, decoded once (null where the _ts field is absent).
    Instant[][] times = new Instant[reads.size()][];
    for (int i = 0; i < reads.size(); i++) {
      Group group = t.groups.get(reads.get(i).group);
      List<byte @Nullable []> reply = replies.get(i);
      Instant[] t = new Instant[group.tsPositions.size()];
      for (int k = 0; k < t.length; k++) {
        t[k] = decodeTime(reply.get(group.tsPositions.get(k)));
      }
      times[i] = t;
    }
    int width = t.refs.size();
    int groupCount = t.groups.size();
    FeatureValue[] values = new FeatureValue[rows * width];
    FieldStatus[] statuses = new FieldStatus[rows * width];
    Instant[] eventTimes = new Instant[rows * width];
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < width; f++) {
        int cell = r * width + f;
        int read = rowGroupRead[r * groupCount + t.refGroup[f]];
        byte[] raw = replies.get(read).get(t.refValuePos[f]);
        Instant ts = times[read][t.refTsIndex[f]];
        eventTimes[cell] = ts == null ? Instant.EPOCH : ts;
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
        Duration ttl = t.refTtl.get(f);
        if (v.isNull()) {
          statuses[cell] = FieldStatus.NULL_VALUE;
        } else if (!ttl.isZero() && ts != null && Duration.between(ts, now).compareTo(ttl) > 0) {
          statuses[cell] = FieldStatus.OUTSIDE_MAX_AGE;
        } else {
          statuses[cell] = FieldStatus.PRESENT;
        }
      }
    }
    return new OnlineFeatures(t.refs, rows, values, statuses, eventTimes);
  }

  private static @Nullable Instant decodeTime(byte @Nullable [] ts) {
    if (ts == null) {
      return null;
    }
    try {
      return Timestamps.decode(ts);
    } catch (FeastCodecException e) {
      return null;
    }
  }
}
