package io.inferis.features;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A feature view: a name, the entities whose join keys form its Redis key, its features, and its
 * TTL (max age; {@link Duration#ZERO} means none). Values older than the TTL are returned with
 * status {@code OUTSIDE_MAX_AGE}. Immutable.
 *
 * @param name the view name (the {@code <fv>} of Feast's field hashes)
 * @param entities entity names; empty for an entityless view
 * @param features the features, names unique
 * @param ttl max age of a value, or zero for none
 */
public record FeatureViewDef(
    String name, List<String> entities, List<FeatureDef> features, Duration ttl) {

  /** Validates the definition. */
  public FeatureViewDef {
    Names.require("feature view name", name);
    if (name.contains(":")) {
      throw new IllegalArgumentException("feature view name '" + name + "' must not contain ':'");
    }
    entities = List.copyOf(Objects.requireNonNull(entities, "entities"));
    features = List.copyOf(Objects.requireNonNull(features, "features"));
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException(
          "ttl of feature view '" + name + "' must be >= 0, was " + ttl);
    }
    if (features.isEmpty()) {
      throw new IllegalArgumentException("feature view '" + name + "' has no features");
    }
    Set<String> seen = new HashSet<>();
    for (FeatureDef f : features) {
      if (!seen.add(f.name())) {
        throw new IllegalArgumentException(
            "feature view '" + name + "' defines feature '" + f.name() + "' twice");
      }
    }
    if (new HashSet<>(entities).size() != entities.size()) {
      throw new IllegalArgumentException("feature view '" + name + "' lists an entity twice");
    }
  }

  /** The feature called {@code feature}, if the view has it. */
  public Optional<FeatureDef> feature(String feature) {
    return features.stream().filter(f -> f.name().equals(feature)).findFirst();
  }
}
