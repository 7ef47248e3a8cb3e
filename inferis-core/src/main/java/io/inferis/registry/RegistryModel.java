package io.inferis.registry;

import com.google.protobuf.Duration;
import io.inferis.feast.EntityKeys;
import io.inferis.feast.ValueType;
import io.inferis.features.EntityDef;
import io.inferis.features.FeatureDef;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureViewDef;
import io.inferis.registry.FeastRegistry.FeatureService;
import io.inferis.registry.FeastRegistry.Projection;
import io.inferis.registry.FeastRegistry.WriteSchema;
import io.inferis.registry.internal.proto.DataSource;
import io.inferis.registry.internal.proto.Entity;
import io.inferis.registry.internal.proto.FeatureServiceSpec;
import io.inferis.registry.internal.proto.FeatureSpecV2;
import io.inferis.registry.internal.proto.FeatureView;
import io.inferis.registry.internal.proto.FeatureViewProjection;
import io.inferis.registry.internal.proto.FeatureViewSpec;
import io.inferis.registry.internal.proto.FeatureViewState;
import io.inferis.registry.internal.proto.OnDemandFeatureView;
import io.inferis.registry.internal.proto.OnDemandFeatureViewSpec;
import io.inferis.registry.internal.proto.Registry;
import io.inferis.registry.internal.proto.StreamFeatureView;
import io.inferis.registry.internal.proto.StreamFeatureViewSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns a parsed {@code feast.core.Registry} into the {@link FeastRegistry} of one project, as
 * Feast's feature server sees it: objects of other projects are left out; the dummy entity Feast
 * gives entityless views becomes inferis's entityless view; a view that is disabled, defined with
 * {@code online=False}, in a state other than available online, on demand without stored values, or
 * that names an entity the registry lacks, is listed as unservable with the reason instead of
 * failing the whole registry. (Feast's server reads an {@code online=False} view anyway and answers
 * nulls; inferis says why it cannot, which a client can act on.)
 */
final class RegistryModel {

  /** The entity Feast adds to an entityless view. */
  static final String DUMMY_ENTITY = "__dummy";

  private RegistryModel() {}

  /**
   * The project's part of {@code registry}.
   *
   * @throws FeastConfigException if the registry holds nothing of the project
   */
  static FeastRegistry of(Registry registry, String project, String source) {
    FeatureRepo.Builder repo = FeatureRepo.builder(project);
    Map<String, EntityDef> entities = new LinkedHashMap<>();
    // Entities inferis cannot read (a value type from a newer Feast, say): their views cannot
    // serve, the rest of the registry can.
    Map<String, String> unreadableEntities = new LinkedHashMap<>();
    for (Entity e : registry.getEntitiesList()) {
      if (!inProject(e.getSpec().getProject(), project)
          || e.getSpec().getName().equals(DUMMY_ENTITY)
          || e.getSpec().getJoinKey().equals(EntityKeys.DUMMY_ID)) {
        continue;
      }
      try {
        EntityDef def =
            new EntityDef(
                e.getSpec().getName(),
                e.getSpec().getJoinKey(),
                ValueType.forNumber(e.getSpec().getValueTypeValue()));
        repo.entity(def);
        entities.put(def.name(), def);
      } catch (IllegalArgumentException bad) {
        unreadableEntities.put(e.getSpec().getName(), bad.getMessage());
      }
    }
    Map<String, String> unservable = new TreeMap<>();
    Map<String, List<String>> pushSources = new TreeMap<>();
    Map<String, WriteSchema> writes = new LinkedHashMap<>();
    List<ViewParts> views = new ArrayList<>();
    for (FeatureView v : registry.getFeatureViewsList()) {
      FeatureViewSpec s = v.getSpec();
      if (inProject(s.getProject(), project)) {
        views.add(
            new ViewParts(
                s.getName(),
                s.getEntitiesList(),
                s.getFeaturesList(),
                s.hasTtl() ? s.getTtl() : null,
                s.hasBatchSource() ? s.getBatchSource() : null,
                s.hasStreamSource() ? s.getStreamSource() : null,
                s.getDisabled(),
                s.getOnline(),
                v.getMeta().getState()));
      }
    }
    for (StreamFeatureView v : registry.getStreamFeatureViewsList()) {
      StreamFeatureViewSpec s = v.getSpec();
      if (inProject(s.getProject(), project)) {
        views.add(
            new ViewParts(
                s.getName(),
                s.getEntitiesList(),
                s.getFeaturesList(),
                s.hasTtl() ? s.getTtl() : null,
                s.hasBatchSource() ? s.getBatchSource() : null,
                s.hasStreamSource() ? s.getStreamSource() : null,
                s.getDisabled(),
                s.getOnline(),
                v.getMeta().getState()));
      }
    }
    for (OnDemandFeatureView v : registry.getOnDemandFeatureViewsList()) {
      OnDemandFeatureViewSpec s = v.getSpec();
      if (!inProject(s.getProject(), project)) {
        continue;
      }
      if (!s.getWriteToOnlineStore()) {
        unservable.put(
            s.getName(),
            "on-demand feature view: its values are computed by a Python transformation at"
                + " request time, which inferis does not run");
        continue;
      }
      // Written to the online store: read like any view, under its own name.
      views.add(
          new ViewParts(
              s.getName(),
              s.getEntitiesList(),
              s.getFeaturesList(),
              null,
              null,
              null,
              false,
              true,
              FeatureViewState.STATE_UNSPECIFIED));
    }
    for (ViewParts v : views) {
      String reason = v.unservableReason(entities, unreadableEntities);
      if (reason != null) {
        unservable.put(v.name, reason);
        continue;
      }
      try {
        repo.view(v.def());
      } catch (IllegalArgumentException bad) {
        unservable.put(v.name, "cannot be read: " + bad.getMessage());
        continue;
      }
      if (v.stream != null && v.stream.getType() == DataSource.SourceType.PUSH_SOURCE) {
        pushSources.computeIfAbsent(v.stream.getName(), k -> new ArrayList<>()).add(v.name);
      }
      DataSource batch =
          v.batch != null
              ? v.batch
              : v.stream != null && v.stream.hasBatchSource() ? v.stream.getBatchSource() : null;
      if (batch != null) {
        writes.put(
            v.name,
            new WriteSchema(
                batch.getTimestampField(),
                batch.getCreatedTimestampColumn(),
                batch.getFieldMappingMap()));
      }
    }
    Map<String, FeatureService> services = new LinkedHashMap<>();
    for (io.inferis.registry.internal.proto.FeatureService fs : registry.getFeatureServicesList()) {
      FeatureServiceSpec s = fs.getSpec();
      if (!inProject(s.getProject(), project)) {
        continue;
      }
      List<Projection> projections = new ArrayList<>();
      for (FeatureViewProjection p : s.getFeaturesList()) {
        projections.add(
            new Projection(
                p.getFeatureViewName(),
                p.getFeatureViewNameAlias(),
                p.getFeatureColumnsList().stream().map(FeatureSpecV2::getName).toList(),
                p.getJoinKeyMapMap()));
      }
      services.put(s.getName(), new FeatureService(s.getName(), projections));
    }
    FeatureRepo built;
    try {
      built = repo.build();
    } catch (IllegalArgumentException e) {
      throw new FeastConfigException(source + ": " + e.getMessage(), e);
    }
    Instant updated =
        registry.hasLastUpdated()
            ? Instant.ofEpochSecond(
                registry.getLastUpdated().getSeconds(), registry.getLastUpdated().getNanos())
            : Instant.EPOCH;
    return new FeastRegistry(project, built, services, pushSources, writes, unservable, updated);
  }

  /**
   * Feast files objects under their project; an SQL registry's blobs may leave it empty (Feast
   * takes the row's project), and the readers fill it in before they get here.
   */
  private static boolean inProject(String objectProject, String project) {
    return objectProject.equals(project);
  }

  /** What a feature view, stream feature view or stored on-demand view has in common. */
  private static final class ViewParts {
    final String name;
    final List<String> entities;
    final List<FeatureSpecV2> features;
    final Duration ttl;
    final DataSource batch;
    final DataSource stream;
    final boolean disabled;
    final boolean online;
    final FeatureViewState state;

    ViewParts(
        String name,
        List<String> entities,
        List<FeatureSpecV2> features,
        Duration ttl,
        DataSource batch,
        DataSource stream,
        boolean disabled,
        boolean online,
        FeatureViewState state) {
      this.name = name;
      this.entities = entities.stream().filter(e -> !e.equals(DUMMY_ENTITY)).toList();
      this.features = features;
      this.ttl = ttl;
      this.batch = batch;
      this.stream = stream;
      this.disabled = disabled;
      this.online = online;
      this.state = state;
    }

    String unservableReason(Map<String, EntityDef> known, Map<String, String> unreadable) {
      if (disabled) {
        return "disabled in the registry (feast feature-views enable " + name + ")";
      }
      if (!online) {
        return "defined with online=False: Feast never materializes it to the online store";
      }
      if (state != FeatureViewState.STATE_UNSPECIFIED
          && state != FeatureViewState.AVAILABLE_ONLINE) {
        return "in state " + state + "; only views available online serve";
      }
      for (String e : entities) {
        if (unreadable.containsKey(e)) {
          return "names entity '" + e + "', which inferis cannot read: " + unreadable.get(e);
        }
        if (!known.containsKey(e)) {
          return "names entity '" + e + "', which the registry does not define";
        }
      }
      if (features.isEmpty()) {
        return "has no features";
      }
      if (name.contains(":")) {
        return "its name contains ':', which a feature reference cannot hold";
      }
      return null;
    }

    FeatureViewDef def() {
      List<FeatureDef> defs = new ArrayList<>(features.size());
      for (FeatureSpecV2 f : features) {
        defs.add(new FeatureDef(f.getName(), ValueType.forNumber(f.getValueTypeValue())));
      }
      java.time.Duration t =
          ttl == null
              ? java.time.Duration.ZERO
              : java.time.Duration.ofSeconds(ttl.getSeconds(), ttl.getNanos());
      return new FeatureViewDef(name, entities, defs, t);
    }
  }

  /** Checks the project exists in the registry at all (a registry of another project). */
  static void requireProject(Registry registry, String project, String source) {
    boolean any =
        registry.getProjectsList().stream().anyMatch(p -> p.getSpec().getName().equals(project))
            || registry.getEntitiesList().stream()
                .anyMatch(e -> e.getSpec().getProject().equals(project))
            || registry.getFeatureViewsList().stream()
                .anyMatch(v -> v.getSpec().getProject().equals(project));
    if (!any) {
      List<String> others = new ArrayList<>();
      registry.getProjectsList().forEach(p -> others.add(p.getSpec().getName()));
      registry.getFeatureViewsList().stream()
          .map(v -> v.getSpec().getProject())
          .filter(p -> !others.contains(p))
          .distinct()
          .forEach(others::add);
      throw new FeastConfigException(
          source
              + " holds nothing of project '"
              + project
              + "'"
              + (others.isEmpty() ? " (it is empty)" : " (it holds " + others + ")"));
    }
    Objects.requireNonNull(source);
  }
}
