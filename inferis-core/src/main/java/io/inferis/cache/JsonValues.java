package io.inferis.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A typed view of a {@link Cache}: values of type {@code T} stored as JSON (Jackson). Thread-safe
 * when the cache and mapper are.
 *
 * @param <T> the value type
 */
public final class JsonValues<T> {

  private static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper().findAndRegisterModules();

  private final Cache cache;
  private final ObjectMapper mapper;
  private final Class<T> type;

  private JsonValues(Cache cache, ObjectMapper mapper, Class<T> type) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.type = Objects.requireNonNull(type, "type");
  }

  /** Values of {@code type} with a default {@link ObjectMapper} (modules on the classpath). */
  public static <T> JsonValues<T> of(Cache cache, Class<T> type) {
    return new JsonValues<>(cache, DEFAULT_MAPPER, type);
  }

  /** Values of {@code type} with the given mapper. */
  public static <T> JsonValues<T> of(Cache cache, Class<T> type, ObjectMapper mapper) {
    return new JsonValues<>(cache, mapper, type);
  }

  /**
   * The value of {@code key}, or empty on a miss.
   *
   * @throws CacheCodecException if the stored bytes are not JSON of type {@code T}
   */
  public Optional<T> get(String key) {
    return cache.get(key).map(bytes -> decode(key, bytes));
  }

  /** Stores {@code value} as JSON with no TTL. */
  public void set(String key, T value) {
    cache.set(key, encode(key, value));
  }

  /** Stores {@code value} as JSON, expiring after {@code ttl}. */
  public void set(String key, T value, Duration ttl) {
    cache.set(key, encode(key, value), ttl);
  }

  /** Deletes {@code key}; returns whether it existed. */
  public boolean delete(String key) {
    return cache.delete(key);
  }

  private byte[] encode(String key, T value) {
    Objects.requireNonNull(value, "value");
    try {
      return mapper.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new CacheCodecException(
          "cannot encode a " + type.getSimpleName() + " for key '" + key + "'", e);
    }
  }

  private T decode(String key, byte[] bytes) {
    try {
      return mapper.readValue(bytes, type);
    } catch (IOException e) {
      throw new CacheCodecException(
          "key '"
              + key
              + "' does not hold JSON of a "
              + type.getSimpleName()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
