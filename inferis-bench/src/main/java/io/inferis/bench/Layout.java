package io.inferis.bench;

import io.inferis.feast.EntityKeys;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldHashes;
import io.inferis.features.FeatureRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scenario's Redis keys and hash fields in Feast's layout, as the baselines that talk to Redis
 * directly (Feast-Java-style, naive, ceiling) compute them.
 */
record Layout(String project, List<FeatureRef> refs) {

  static Layout of(String project, Scenario sc) {
    return new Layout(project, sc.refs().stream().map(FeatureRef::parse).toList());
  }

  byte[] key(int entity) {
    return EntityKeys.redisKey(Map.of("driver_id", FeatureValue.ofInt64(entity)), project);
  }

  /** HMGET field list of one entity's hash: every feature field, then each view's _ts. */
  byte[][] fields() {
    List<byte[]> f = new ArrayList<>();
    Map<String, Boolean> views = new LinkedHashMap<>();
    for (FeatureRef r : refs) {
      f.add(FieldHashes.featureField(r.view(), r.feature()));
      views.put(r.view(), true);
    }
    for (String v : views.keySet()) {
      f.add(FieldHashes.timestampField(v));
    }
    return f.toArray(new byte[0][]);
  }
}
