package io.inferis.registry;

import io.inferis.features.FeatureRepo;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One reading of a Feast registry, for one project: what a feature server serves from it. The
 * entities and views inferis can serve as a {@link FeatureRepo}; the feature services; the push
 * sources and the views each feeds; how each view's rows are written (timestamp column, field
 * mapping); and what it lists but cannot serve, with the reason. Immutable.
 */
public final class FeastRegistry {

  /**
   * A view as a feature service serves it.
   *
   * @param view the view's name, under which its values are stored
   * @param alias the name the service gives it, or empty for none
   * @param features the features of the view it serves, in order
   * @param joinKeyMap the view's join key → the request column that holds it
   */
  public record Projection(
      String view, String alias, List<String> features, Map<String, String> joinKeyMap) {

    /** Copies the collections. */
    public Projection {
      features = List.copyOf(features);
      joinKeyMap = Map.copyOf(joinKeyMap);
    }

    /** The name its references and full feature names use: the alias, or the view's name. */
    public String servedName() {
      return alias.isEmpty() ? view : alias;
    }
  }

  /** A feature service: its name and projections, in order. */
  public record FeatureService(String name, List<Projection> projections) {
    /** Copies the list. */
    public FeatureService {
      projections = List.copyOf(projections);
    }
  }

  /**
   * How rows of a view are written by {@code /push} and {@code /write-to-online-store}: the event
   * time column, the optional created-time column, and source column → feature renames, from the
   * view's batch source.
   */
  public record WriteSchema(
      String timestampField, String createdTimestampColumn, Map<String, String> fieldMapping) {
    /** Copies the map. */
    public WriteSchema {
      fieldMapping = Map.copyOf(fieldMapping);
    }
  }

  private final String project;
  private final FeatureRepo repo;
  private final Map<String, FeatureService> featureServices;
  private final Map<String, List<String>> pushSources;
  private final Map<String, WriteSchema> writeSchemas;
  private final SortedMap<String, String> unservable;
  private final Instant lastUpdated;

  FeastRegistry(
      String project,
      FeatureRepo repo,
      Map<String, FeatureService> featureServices,
      Map<String, List<String>> pushSources,
      Map<String, WriteSchema> writeSchemas,
      Map<String, String> unservable,
      Instant lastUpdated) {
    this.project = project;
    this.repo = repo;
    this.featureServices = Collections.unmodifiableMap(new TreeMap<>(featureServices));
    this.pushSources = Collections.unmodifiableMap(new TreeMap<>(pushSources));
    this.writeSchemas = Map.copyOf(writeSchemas);
    this.unservable = Collections.unmodifiableSortedMap(new TreeMap<>(unservable));
    this.lastUpdated = Objects.requireNonNull(lastUpdated, "lastUpdated");
  }

  /** The Feast project this reading is of. */
  public String project() {
    return project;
  }

  /** The entities and the views inferis serves. */
  public FeatureRepo repo() {
    return repo;
  }

  /** Feature services by name. */
  public Map<String, FeatureService> featureServices() {
    return featureServices;
  }

  /** Push source name → the views it feeds. */
  public Map<String, List<String>> pushSources() {
    return pushSources;
  }

  /** How a view's rows are written, by view name; views without a batch source are absent. */
  public Map<String, WriteSchema> writeSchemas() {
    return writeSchemas;
  }

  /** Views the registry lists that inferis does not serve, by name, with the reason. */
  public SortedMap<String, String> unservable() {
    return unservable;
  }

  /** When the registry was last written, as it says (epoch when it does not say). */
  public Instant lastUpdated() {
    return lastUpdated;
  }
}
