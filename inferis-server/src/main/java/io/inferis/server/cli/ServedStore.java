package io.inferis.server.cli;

import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.inferis.registry.FeastConfigException;
import io.inferis.registry.FeastRepoConfig;
import io.inferis.registry.RefreshingRegistry;
import io.inferis.registry.RegistrySource;
import io.inferis.server.Demo;
import io.inferis.server.FeatureHttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The feature store {@code serve} serves, from one of its three sources of definitions: the demo
 * ({@code --demo}, loaded with its rows), an inferis YAML ({@code --repo}), or a Feast repository
 * as it is ({@code --feast-repo}: its yaml names the Redis, unless {@code --redis} overrides it,
 * and its registry is read again in the background). In memory without a Redis. Closes what it
 * opened, in reverse order.
 */
final class ServedStore implements AutoCloseable {

  final FeatureStore store;
  final @Nullable RedisConnector connector;
  final @Nullable RefreshingRegistry registry;
  final String project;

  /** Where a Redis store reads and how its stores are made; null in memory. */
  private final @Nullable Source source;

  /**
   * A Redis store's source: the URL connected to, the store options, the store over a connector.
   */
  private record Source(
      String url,
      FeatureStoreOptions options,
      BiFunction<RedisConnector, FeatureStoreOptions, FeatureStore> storeOver) {}

  private ServedStore(
      FeatureStore store,
      @Nullable RedisConnector connector,
      @Nullable RefreshingRegistry registry,
      String project,
      @Nullable Source source) {
    this.store = store;
    this.connector = connector;
    this.registry = registry;
    this.project = project;
    this.source = source;
  }

  /**
   * Has {@code server}, on {@code loops} event loops, read Redis on a connector per loop (same URL
   * and options as this store's), each with a store of the same definitions; the in-flight limit is
   * shared out among the loops. Nothing in memory.
   */
  void servePerLoop(FeatureHttpServer.Builder server, int loops) {
    if (connector == null || source == null) {
      return;
    }
    FeatureStoreOptions options =
        source.options().toBuilder()
            .inFlightLimit((source.options().inFlightLimit() + loops - 1) / loops)
            .build();
    Source from = source;
    server.redisPerLoop(from.url(), connector.options(), c -> from.storeOver().apply(c, options));
  }

  /** What the store reads and writes, for the banner: the endpoint or {@code in-memory}. */
  String describe() {
    return connector == null ? "in-memory" : connector.endpoint();
  }

  static ServedStore open(
      CommandSpec spec,
      boolean demo,
      @Nullable Path repo,
      FeastRepoFlags feast,
      @Nullable String redis,
      RedisSecurityFlags security,
      FeatureStoreOptions.Builder options,
      MeterRegistry meters) {
    int sources = (demo ? 1 : 0) + (repo != null ? 1 : 0) + (feast.isSet() ? 1 : 0);
    if (sources != 1) {
      throw new ParameterException(
          spec.commandLine(),
          sources == 0
              ? "give --feast-repo DIR, --repo FILE or --demo"
              : "give one of --feast-repo, --repo and --demo");
    }
    if (feast.isSet()) {
      return openFeast(spec, feast, redis, security, options, meters);
    }
    FeatureRepo definitions = demo ? Demo.repo() : loadRepo(spec, repo);
    RedisConnector connector =
        connect(spec, redis, security, RedisOptions.builder().meterRegistry(meters));
    FeatureStoreOptions built = options.build();
    if (connector == null) {
      FeatureStore store = FeatureStores.memory(definitions, built);
      if (demo) {
        Demo.load(store);
      }
      return new ServedStore(store, null, null, definitions.project(), null);
    }
    Source source = new Source(redis, built, (c, o) -> FeatureStores.redis(definitions, c, o));
    FeatureStore store = source.storeOver().apply(connector, built);
    if (demo) {
      Demo.load(store);
    }
    return new ServedStore(store, connector, null, definitions.project(), source);
  }

  private static ServedStore openFeast(
      CommandSpec spec,
      FeastRepoFlags feast,
      @Nullable String redis,
      RedisSecurityFlags security,
      FeatureStoreOptions.Builder options,
      MeterRegistry meters) {
    FeastRepoConfig config = feast.load(spec);
    FeastRepoConfig.RedisStore yamlStore = config.onlineStore();
    boolean override = redis != null && !redis.isBlank();
    if (!override && yamlStore == null) {
      throw new ParameterException(
          spec.commandLine(),
          config.file()
              + " names no redis online_store (Feast's default is SQLite): give --redis URL");
    }
    RefreshingRegistry registry;
    try {
      registry =
          RefreshingRegistry.start(
              RegistrySource.of(config), config.cacheTtl(), InstantSource.system(), null, meters);
    } catch (FeastConfigException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    RedisConnector connector;
    String url = override ? redis : yamlStore.url();
    try {
      RedisOptions.Builder redisOptions = RedisOptions.builder().meterRegistry(meters);
      if (!override && yamlStore.password() != null) {
        redisOptions.credentials(yamlStore.username(), yamlStore.password().toCharArray());
      }
      connector = connect(spec, url, security, redisOptions);
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    if (!override && yamlStore.keyTtl() != null) {
      options.keyTtl(yamlStore.keyTtl());
    }
    Source source =
        new Source(
            url, options.build(), (c, o) -> FeatureStores.redis(() -> registry.get().repo(), c, o));
    FeatureStore store = source.storeOver().apply(connector, source.options());
    return new ServedStore(store, connector, registry, config.project(), source);
  }

  private static FeatureRepo loadRepo(CommandSpec spec, Path repo) {
    if (!Files.isReadable(repo)) {
      throw new ParameterException(spec.commandLine(), "cannot read --repo " + repo);
    }
    try {
      return FeatureRepo.load(repo);
    } catch (IllegalArgumentException | IOException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static @Nullable RedisConnector connect(
      CommandSpec spec,
      @Nullable String url,
      RedisSecurityFlags security,
      RedisOptions.Builder options) {
    if (url == null || url.isBlank()) {
      if (security.isSet()) {
        throw new ParameterException(
            spec.commandLine(), "Redis TLS or user flags are set, but no --redis URL");
      }
      return null;
    }
    return security.connect(spec, url, options);
  }

  @Override
  public void close() {
    store.close();
    if (connector != null) {
      connector.close();
    }
    if (registry != null) {
      registry.close();
    }
  }
}
