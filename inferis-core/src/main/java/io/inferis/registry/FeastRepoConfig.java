package io.inferis.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A Feast repository's {@code feature_store.yaml}, read as Feast reads it: {@code $NAME} and {@code
 * ${NAME}} replaced from the environment over the whole text first (an unset variable stays as
 * written, and there is no {@code ${NAME:-default}} form, as in Feast), then {@code project},
 * {@code registry} (a path, or a mapping with {@code registry_type} {@code file} or {@code sql},
 * {@code path} and {@code cache_ttl_seconds}, default 600), {@code online_store} of {@code type:
 * redis} ({@link RedisStore}) and {@code entity_key_serialization_version} (3). A relative file
 * registry path is resolved against the repository directory, as Feast resolves it. Keys Feast
 * reads and inferis has no use for ({@code provider}, {@code offline_store}, ...) are ignored; a
 * setting inferis cannot honour is a {@link FeastConfigException} naming it and what is supported.
 * Immutable.
 */
public final class FeastRepoConfig {

  /** The file Feast reads in a repository directory unless told otherwise. */
  public static final String DEFAULT_FILE = "feature_store.yaml";

  /** Feast's default registry cache TTL: 600 s. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(600);

  private static final Pattern ENV = Pattern.compile("\\$(\\w+|\\{[^}]*\\})");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Path file;
  private final String project;
  private final RegistryLocation registry;
  private final Duration cacheTtl;
  private final @Nullable RedisStore onlineStore;

  private FeastRepoConfig(
      Path file,
      String project,
      RegistryLocation registry,
      Duration cacheTtl,
      @Nullable RedisStore onlineStore) {
    this.file = file;
    this.project = project;
    this.registry = registry;
    this.cacheTtl = cacheTtl;
    this.onlineStore = onlineStore;
  }

  /** Where the registry is. */
  public sealed interface RegistryLocation permits FileRegistry, SqlRegistry {}

  /** A registry file ({@code registry.db}): one serialized {@code feast.core.Registry}. */
  public record FileRegistry(Path path) implements RegistryLocation {}

  /**
   * Feast's SQL registry, by the SQLAlchemy URL Feast was given ({@code sqlite:///...}, {@code
   * postgresql[+driver]://user:pass@host:port/db}).
   */
  public record SqlRegistry(String url) implements RegistryLocation {}

  /**
   * Feast's Redis online store: {@code redis_type} ({@code redis}, {@code redis_cluster}, {@code
   * redis_sentinel}), the nodes and options of its {@code connection_string}, {@code
   * sentinel_master} and {@code key_ttl_seconds}.
   */
  public record RedisStore(
      String redisType,
      List<String> nodes,
      boolean ssl,
      @Nullable String username,
      @Nullable String password,
      int db,
      String sentinelMaster,
      @Nullable Duration keyTtl) {

    /**
     * The store as an inferis Redis URL, without credentials ({@link #username()} and {@link
     * #password()} go in the connector's options).
     */
    public String url() {
      String nodeList = String.join(",", nodes);
      return switch (redisType) {
        case "redis_cluster" -> (ssl ? "rediss-cluster://" : "redis-cluster://") + nodeList;
        case "redis_sentinel" ->
            (ssl ? "rediss-sentinel://" : "redis-sentinel://")
                + nodeList
                + "/"
                + sentinelMaster
                + (db != 0 ? "/" + db : "");
        default -> (ssl ? "rediss://" : "redis://") + nodes.get(0) + (db != 0 ? "/" + db : "");
      };
    }
  }

  /**
   * Reads {@code file} of the repository in {@code repoDir} with the process's environment.
   *
   * @throws FeastConfigException naming the file and what is wrong or unsupported in it
   */
  public static FeastRepoConfig load(Path repoDir, Path file) {
    return load(repoDir, file, System::getenv);
  }

  /** {@link #load(Path, Path)} with {@code env} as the environment (tests). */
  static FeastRepoConfig load(Path repoDir, Path file, UnaryOperator<String> env) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FeastConfigException(file + ": cannot be read (" + e.getMessage() + ")", e);
    }
    return parse(repoDir, file, text, env);
  }

  static FeastRepoConfig parse(Path repoDir, Path file, String text, UnaryOperator<String> env) {
    JsonNode root;
    try {
      root = YAML.readTree(expand(text, env));
    } catch (JsonProcessingException e) {
      throw new FeastConfigException(file + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new FeastConfigException(
          file + ": must be a YAML mapping with 'project' and 'registry'");
    }
    Reader r = new Reader(file);
    String project = r.requiredText(root, "project");
    int version = r.integer(root, "entity_key_serialization_version", 3);
    if (version != 3) {
      throw new FeastConfigException(
          file
              + ": entity_key_serialization_version "
              + version
              + " is not supported; inferis reads and writes Feast's version 3 keys");
    }
    JsonNode registry = root.get("registry");
    if (registry == null || registry.isNull()) {
      throw new FeastConfigException(file + ": 'registry' is required (a path or a mapping)");
    }
    RegistryLocation location;
    Duration ttl = DEFAULT_CACHE_TTL;
    if (registry.isTextual()) {
      location = fileRegistry(repoDir, file, registry.textValue());
    } else if (registry.isObject()) {
      String type = r.text(registry, "registry_type", "file");
      String path = r.requiredText(registry, "path");
      ttl = Duration.ofSeconds(r.integer(registry, "cache_ttl_seconds", 600));
      location =
          switch (type) {
            case "file" -> fileRegistry(repoDir, file, path);
            case "sql" -> new SqlRegistry(path);
            default ->
                throw new FeastConfigException(
                    file
                        + ": registry_type '"
                        + type
                        + "' is not supported; inferis reads 'file' and 'sql' registries");
          };
    } else {
      throw new FeastConfigException(file + ": 'registry' must be a path or a mapping");
    }
    return new FeastRepoConfig(
        file, project, location, ttl, onlineStore(r, root.get("online_store")));
  }

  private static RegistryLocation fileRegistry(Path repoDir, Path file, String path) {
    String p = path.startsWith("file://") ? path.substring("file://".length()) : path;
    int scheme = p.indexOf("://");
    if (scheme > 0) {
      throw new FeastConfigException(
          file
              + ": registry path '"
              + path
              + "' is in "
              + p.substring(0, scheme)
              + "://, which inferis cannot read; it reads a local file or an SQL registry");
    }
    Path resolved = Path.of(p);
    return new FileRegistry(resolved.isAbsolute() ? resolved : repoDir.resolve(resolved));
  }

  private static final Set<String> REDIS_KEYS =
      Set.of(
          "type",
          "redis_type",
          "connection_string",
          "sentinel_master",
          "key_ttl_seconds",
          "full_scan_for_deletion",
          "skip_dedup");

  private static @Nullable RedisStore onlineStore(Reader r, @Nullable JsonNode store) {
    if (store == null || store.isNull()) {
      return null; // Feast's default is SQLite; only --redis can serve such a repo
    }
    if (store.isTextual()) {
      requireRedis(r, store.textValue());
      return redis(r, YAML.createObjectNode().put("type", "redis"));
    }
    if (!store.isObject()) {
      throw new FeastConfigException(r.file + ": 'online_store' must be a mapping");
    }
    requireRedis(r, r.text(store, "type", "sqlite"));
    for (Iterator<String> it = store.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!REDIS_KEYS.contains(key)) {
        throw new FeastConfigException(
            r.file
                + ": online_store has an unknown setting '"
                + key
                + "' (as Feast, inferis rejects it)");
      }
    }
    return redis(r, store);
  }

  private static void requireRedis(Reader r, String type) {
    if (!type.equals("redis")) {
      throw new FeastConfigException(
          r.file
              + ": online_store type '"
              + type
              + "' is not supported; inferis serves Feast's 'redis' online store (or give --redis)");
    }
  }

  private static final Set<String> CONNECTION_KEYS =
      Set.of("password", "username", "db", "ssl", "skip_full_coverage_check");

  private static RedisStore redis(Reader r, JsonNode store) {
    String type = r.text(store, "redis_type", "redis");
    if (!Set.of("redis", "redis_cluster", "redis_sentinel").contains(type)) {
      throw new FeastConfigException(
          r.file
              + ": redis_type '"
              + type
              + "' is not one of redis, redis_cluster, redis_sentinel");
    }
    String connection = r.text(store, "connection_string", "localhost:6379");
    List<String> nodes = new ArrayList<>();
    String username = null;
    String password = null;
    int db = 0;
    boolean ssl = false;
    for (String token : connection.split(",")) {
      String t = token.trim();
      if (t.isEmpty()) {
        continue;
      }
      int eq = t.indexOf('=');
      if (eq < 0) {
        nodes.add(t.contains(":") ? t : t + ":6379");
        continue;
      }
      String key = t.substring(0, eq).trim();
      String value = t.substring(eq + 1).trim();
      if (!CONNECTION_KEYS.contains(key)) {
        throw new FeastConfigException(
            r.file
                + ": connection_string option '"
                + key
                + "' is not supported; inferis takes "
                + new TreeSet<>(CONNECTION_KEYS));
      }
      switch (key) {
        case "password" -> password = unquote(value);
        case "username" -> username = unquote(value);
        case "ssl" -> ssl = Boolean.parseBoolean(unquote(value).toLowerCase(Locale.ROOT));
        case "db" -> {
          try {
            db = Integer.parseInt(unquote(value));
          } catch (NumberFormatException e) {
            throw new FeastConfigException(
                r.file + ": connection_string db must be a number, was '" + value + "'");
          }
        }
        default -> {} // skip_full_coverage_check: Lettuce needs no such check switched off
      }
    }
    if (nodes.isEmpty()) {
      throw new FeastConfigException(r.file + ": connection_string names no host:port");
    }
    int ttl = r.integer(store, "key_ttl_seconds", 0);
    return new RedisStore(
        type,
        List.copyOf(nodes),
        ssl,
        username,
        password,
        db,
        r.text(store, "sentinel_master", "mymaster"),
        ttl > 0 ? Duration.ofSeconds(ttl) : null);
  }

  /** A connection-string value as redis-py would take it after JSON decoding: quotes dropped. */
  private static String unquote(String v) {
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
        ? v.substring(1, v.length() - 1)
        : v;
  }

  /** {@code text} with {@code $NAME} and {@code ${NAME}} replaced where {@code env} has them. */
  static String expand(String text, UnaryOperator<String> env) {
    Matcher m = ENV.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String token = m.group(1);
      String name = token.startsWith("{") ? token.substring(1, token.length() - 1) : token;
      String value = env.apply(name);
      m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The yaml file read. */
  public Path file() {
    return file;
  }

  /** The Feast project. */
  public String project() {
    return project;
  }

  /** Where the registry is. */
  public RegistryLocation registry() {
    return registry;
  }

  /**
   * How often the registry is read again; zero or negative in the file (Feast: never expires)
   * becomes {@link Duration#ZERO}, read once.
   */
  public Duration cacheTtl() {
    return cacheTtl.isNegative() ? Duration.ZERO : cacheTtl;
  }

  /** The Redis online store, or null when the file names none (Feast's default is SQLite). */
  public @Nullable RedisStore onlineStore() {
    return onlineStore;
  }

  @Override
  public String toString() {
    return "FeastRepoConfig[" + file + ", project " + project + "]";
  }

  /** Typed reads of yaml values, with errors naming the file and the key. */
  private static final class Reader {
    final Path file;

    Reader(Path file) {
      this.file = file;
    }

    String requiredText(JsonNode node, String key) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
        throw new FeastConfigException(file + ": '" + key + "' is required");
      }
      return v.asText();
    }

    String text(JsonNode node, String key, String orElse) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return orElse;
      }
      if (!v.isValueNode()) {
        throw new FeastConfigException(file + ": '" + key + "' must be a string");
      }
      return v.asText();
    }

    int integer(JsonNode node, String key, int orElse) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return orElse;
      }
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw new FeastConfigException(file + ": '" + key + "' must be an integer, was " + v);
      }
      return v.intValue();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeastRepoConfig c
        && c.file.equals(file)
        && c.project.equals(project)
        && c.registry.equals(registry)
        && c.cacheTtl.equals(cacheTtl)
        && Objects.equals(c.onlineStore, onlineStore);
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, project, registry, cacheTtl, onlineStore);
  }
}
