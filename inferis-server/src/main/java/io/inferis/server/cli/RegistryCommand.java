package io.inferis.server.cli;

import io.inferis.features.EntityDef;
import io.inferis.features.FeatureDef;
import io.inferis.features.FeatureViewDef;
import io.inferis.registry.FeastConfigException;
import io.inferis.registry.FeastRegistry;
import io.inferis.registry.FeastRepoConfig;
import io.inferis.registry.RegistrySource;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code inferis registry --feast-repo DIR}: what inferis sees in a Feast repository: entities,
 * views with their features and types, feature services, push sources, and what it cannot serve and
 * why.
 */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = "Show what inferis serves from a Feast repository's registry.")
public final class RegistryCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin FeastRepoFlags feastRepo;

  @Override
  public Integer call() {
    if (!feastRepo.isSet()) {
      throw new ParameterException(spec.commandLine(), "give --feast-repo DIR");
    }
    FeastRepoConfig config = feastRepo.load(spec);
    RegistrySource source = RegistrySource.of(config);
    FeastRegistry r;
    try {
      r = source.read();
    } catch (FeastConfigException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("project %s, registry %s%n", r.project(), source.describe());
    FeastRepoConfig.RedisStore store = config.onlineStore();
    out.printf(
        "online store: %s%n",
        store == null ? "none in the yaml (serve needs --redis)" : store.url());
    out.printf("%nentities:%n");
    for (EntityDef e : r.repo().entities()) {
      out.printf("  %-24s join key %s (%s)%n", e.name(), e.joinKey(), e.type());
    }
    out.printf("%nfeature views:%n");
    for (FeatureViewDef v : r.repo().views()) {
      out.printf(
          "  %s  entities %s, ttl %s%n",
          v.name(),
          v.entities().isEmpty() ? "none" : v.entities(),
          v.ttl().isZero() ? "none" : v.ttl());
      for (FeatureDef f : v.features()) {
        out.printf("    %-28s %s%n", f.name(), f.type());
      }
    }
    out.printf("%nfeature services:%n");
    for (FeastRegistry.FeatureService s : r.featureServices().values()) {
      out.printf("  %s%n", s.name());
      for (FeastRegistry.Projection p : s.projections()) {
        out.printf(
            "    %s%s: %s%s%n",
            p.view(),
            p.alias().isEmpty() ? "" : " as " + p.alias(),
            String.join(", ", p.features()),
            p.joinKeyMap().isEmpty() ? "" : " (join keys " + p.joinKeyMap() + ")");
      }
    }
    out.printf("%npush sources:%n");
    for (Map.Entry<String, List<String>> p : r.pushSources().entrySet()) {
      out.printf("  %s -> %s%n", p.getKey(), String.join(", ", p.getValue()));
    }
    if (!r.unservable().isEmpty()) {
      out.printf("%nnot served:%n");
      r.unservable().forEach((name, why) -> out.printf("  %s: %s%n", name, why));
    }
    out.flush();
    return 0;
  }
}
