package io.inferis.features;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A project's definitions: entities and feature views, built in code ({@link #builder(String)}) or
 * loaded from a {@code feature_repo.yaml} ({@link #load(Path)}, format in README.md). Validated on
 * build: every view's entities exist, names are unique. Immutable and thread-safe.
 */
public final class FeatureRepo {

  private final String project;
  private final Map<String, EntityDef> entities;
  private final Map<String, FeatureViewDef> views;

  private FeatureRepo(
      String project, Map<String, EntityDef> entities, Map<String, FeatureViewDef> views) {
    this.project = project;
    this.entities = entities;
    this.views = views;
  }

  /** A builder for project {@code project}. */
  public static Builder builder(String project) {
    return new Builder(project);
  }

  /**
   * Loads a repository file.
   *
   * @throws IllegalArgumentException naming the file and what is wrong in it
   * @throws IOException if the file cannot be read
   */
  public static FeatureRepo load(Path file) throws IOException {
    return FeatureRepoYaml.load(file);
  }

  /** Parses repository YAML text; {@code source} names it in error messages. */
  public static FeatureRepo parse(String yaml, String source) {
    return FeatureRepoYaml.parse(yaml, source);
  }

  /** The Feast project name (suffix of every Redis key). */
  public String project() {
    return project;
  }

  /** Entities in definition order. */
  public Collection<EntityDef> entities() {
    return entities.values();
  }

  /** Feature views in definition order. */
  public Collection<FeatureViewDef> views() {
    return views.values();
  }

  /** The entity called {@code name}. */
  public Optional<EntityDef> entity(String name) {
    return Optional.ofNullable(entities.get(name));
  }

  /** The view called {@code name}. */
  public Optional<FeatureViewDef> view(String name) {
    return Optional.ofNullable(views.get(name));
  }

  /**
   * The view called {@code name}.
   *
   * @throws UnknownFeatureException if there is none
   */
  public FeatureViewDef requireView(String name) {
    FeatureViewDef v = views.get(name);
    if (v == null) {
      throw new UnknownFeatureException(
          "feature view '" + name + "' is not defined in project '" + project + "'");
    }
    return v;
  }

  /** The join-key entities of {@code view}, in the view's order. */
  public List<EntityDef> entitiesOf(FeatureViewDef view) {
    List<EntityDef> out = new ArrayList<>(view.entities().size());
    for (String e : view.entities()) {
      out.add(entities.get(e));
    }
    return out;
  }

  /** Builder; not thread-safe. */
  public static final class Builder {
    private final String project;
    private final Map<String, EntityDef> entities = new LinkedHashMap<>();
    private final Map<String, FeatureViewDef> views = new LinkedHashMap<>();

    private Builder(String project) {
      this.project = Names.require("project", project);
    }

    /** Adds an entity; names and join keys must be unique. */
    public Builder entity(EntityDef entity) {
      Objects.requireNonNull(entity, "entity");
      if (entities.containsKey(entity.name())) {
        throw new IllegalArgumentException("entity '" + entity.name() + "' is defined twice");
      }
      for (EntityDef e : entities.values()) {
        if (e.joinKey().equals(entity.joinKey())) {
          throw new IllegalArgumentException(
              "entities '"
                  + e.name()
                  + "' and '"
                  + entity.name()
                  + "' share join key '"
                  + e.joinKey()
                  + "'");
        }
      }
      entities.put(entity.name(), entity);
      return this;
    }

    /** Adds a view; its entities must have been added. */
    public Builder view(FeatureViewDef view) {
      Objects.requireNonNull(view, "view");
      if (views.containsKey(view.name())) {
        throw new IllegalArgumentException("feature view '" + view.name() + "' is defined twice");
      }
      for (String e : view.entities()) {
        if (!entities.containsKey(e)) {
          throw new IllegalArgumentException(
              "feature view '" + view.name() + "' uses entity '" + e + "', which is not defined");
        }
      }
      views.put(view.name(), view);
      return this;
    }

    /** The repository. */
    public FeatureRepo build() {
      return new FeatureRepo(project, new LinkedHashMap<>(entities), new LinkedHashMap<>(views));
    }
  }
}
