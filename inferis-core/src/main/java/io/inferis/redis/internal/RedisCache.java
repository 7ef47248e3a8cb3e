package io.inferis.redis.internal;

import io.inferis.cache.Cache;
import io.inferis.cache.KeyTtl;
import io.inferis.cache.Lock;
import io.inferis.cache.ScoredMember;
import io.inferis.cache.WindowAppend;
import io.inferis.cache.WrongTypeException;
import io.inferis.cache.internal.Keys;
import io.inferis.cache.internal.LockWait;
import io.inferis.cache.internal.TokenLock;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Redis {@link Cache} (standalone, Sentinel, Cluster) over a shared {@link LettuceConnector}.
 * Every window append is one Lua script touching one key (EVALSHA, falling back to EVAL on
 * NOSCRIPT, which also loads it on a node that lacks it, e.g. a freshly promoted replica), so it is
 * atomic and valid in a cluster. No state is kept in this process.
 */
final class RedisCache implements Cache {

  private final LettuceConnector connector;
  private final String endpoint;
  private final Duration timeout;

  RedisCache(LettuceConnector connector) {
    this.connector = connector;
    this.endpoint = connector.endpoint();
    this.timeout = connector.options().commandTimeout();
  }

  private RedisClusterAsyncCommands<byte[], byte[]> redis() {
    return connector.async();
  }

  @Override
  public Optional<byte[]> get(String key) {
    Keys.requireKey(key);
    return Optional.ofNullable(await(key, redis().get(utf8(key))));
  }

  @Override
  public void set(String key, byte[] value) {
    Keys.requireKey(key);
    Objects.requireNonNull(value, "value");
    await(key, redis().set(utf8(key), value));
  }

  @Override
  public void set(String key, byte[] value, Duration ttl) {
    Keys.requireKey(key);
    Objects.requireNonNull(value, "value");
    long ttlMillis = Keys.requireTtlMillis(ttl);
    await(key, redis().set(utf8(key), value, SetArgs.Builder.px(ttlMillis)));
  }

  @Override
  public boolean delete(String key) {
    Keys.requireKey(key);
    return await(key, redis().del(utf8(key))) > 0;
  }

  @Override
  public KeyTtl ttl(String key) {
    Keys.requireKey(key);
    return KeyTtl.fromPttl(await(key, redis().pttl(utf8(key))));
  }

  @Override
  public long append(WindowAppend append) {
    Objects.requireNonNull(append, "append");
    return await(append.key(), dispatchAppend(append));
  }

  @Override
  public List<Long> appendAll(List<WindowAppend> appends) {
    Objects.requireNonNull(appends, "appends");
    // Appends to one key with the same bounds go as one script call (APPEND_MANY): a monitoring
    // batch holds hundreds of records of a handful of models, and a call per record cost Redis
    // more in call overhead than in the writes. The calls are dispatched back to back without
    // waiting for replies: one round trip per node however many the batch holds.
    Map<AppendGroup, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < appends.size(); i++) {
      WindowAppend a = Objects.requireNonNull(appends.get(i), "append");
      groups
          .computeIfAbsent(
              new AppendGroup(a.key(), a.windowMillis(), a.maxMembers()), g -> new ArrayList<>())
          .add(i);
    }
    List<CompletableFuture<List<Long>>> futures = new ArrayList<>(groups.size());
    groups.forEach((group, at) -> futures.add(dispatchGroup(group, at, appends)));
    Long[] sizes = new Long[appends.size()];
    int g = 0;
    for (Map.Entry<AppendGroup, List<Integer>> group : groups.entrySet()) {
      List<Long> groupSizes = await(group.getKey().key(), futures.get(g++));
      List<Integer> at = group.getValue();
      for (int j = 0; j < at.size(); j++) {
        sizes[at.get(j)] = groupSizes.get(j);
      }
    }
    return List.of(sizes);
  }

  /** Appends that can share one script call: same key, window and cap. */
  private record AppendGroup(String key, long windowMillis, int maxMembers) {}

  private CompletableFuture<List<Long>> dispatchGroup(
      AppendGroup group, List<Integer> at, List<WindowAppend> appends) {
    if (at.size() == 1) {
      return dispatchAppend(appends.get(at.get(0))).thenApply(List::of);
    }
    byte[][] args = new byte[2 + 2 * at.size()][];
    args[0] = utf8(Long.toString(group.windowMillis()));
    args[1] = utf8(Integer.toString(group.maxMembers()));
    for (int j = 0; j < at.size(); j++) {
      WindowAppend a = appends.get(at.get(j));
      args[2 + 2 * j] = utf8(Long.toString(a.eventTimeMillis()));
      args[3 + 2 * j] = utf8(a.member());
    }
    CompletableFuture<List<Object>> reply =
        CacheScripts.APPEND_MANY
            .script()
            .run(redis(), ScriptOutputType.MULTI, new byte[][] {utf8(group.key())}, args);
    return reply.thenApply(
        values -> {
          List<Long> out = new ArrayList<>(values.size());
          for (Object v : values) {
            out.add((Long) v);
          }
          return out;
        });
  }

  private CompletableFuture<Long> dispatchAppend(WindowAppend a) {
    byte[][] args = {
      utf8(a.member()),
      utf8(Long.toString(a.eventTimeMillis())),
      utf8(Long.toString(a.windowMillis())),
      utf8(Integer.toString(a.maxMembers()))
    };
    return script(CacheScripts.APPEND, a.key(), args);
  }

  @Override
  public List<ScoredMember> range(String key, long fromMillis, long toMillis) {
    Keys.requireKey(key);
    if (fromMillis > toMillis) {
      return List.of();
    }
    List<ScoredValue<byte[]>> values =
        await(key, redis().zrangebyscoreWithScores(utf8(key), Range.create(fromMillis, toMillis)));
    List<ScoredMember> out = new ArrayList<>(values.size());
    for (ScoredValue<byte[]> v : values) {
      out.add(
          new ScoredMember(new String(v.getValue(), StandardCharsets.UTF_8), (long) v.getScore()));
    }
    return out;
  }

  @Override
  public long trim(String key, long beforeMillis) {
    Keys.requireKey(key);
    Range<Long> older =
        Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding(beforeMillis));
    return await(key, redis().zremrangebyscore(utf8(key), older));
  }

  @Override
  public long size(String key) {
    Keys.requireKey(key);
    return await(key, redis().zcard(utf8(key)));
  }

  @Override
  public Optional<Lock> tryLock(String key, Duration ttl, Duration waitTimeout) {
    LockWait.validate(key, ttl, waitTimeout);
    return LockWait.await(
        waitTimeout,
        () -> {
          String token = UUID.randomUUID().toString();
          String ok =
              await(
                  key,
                  redis().set(utf8(key), utf8(token), SetArgs.Builder.nx().px(ttl.toMillis())));
          return "OK".equals(ok) ? Optional.of(new RedisLock(key, token)) : Optional.empty();
        });
  }

  @Override
  public long nowMillis() {
    List<byte[]> time = await("TIME", redis().time());
    long seconds = Long.parseLong(new String(time.get(0), StandardCharsets.UTF_8));
    long micros = Long.parseLong(new String(time.get(1), StandardCharsets.UTF_8));
    return seconds * 1000 + micros / 1000;
  }

  @Override
  public void close() {
    // The connector is shared and closed by its owner.
  }

  /** EVALSHA, and EVAL on NOSCRIPT (which also caches the script on that node). */
  private CompletableFuture<Long> script(CacheScripts script, String key, byte[][] args) {
    return script.script().run(redis(), ScriptOutputType.INTEGER, new byte[][] {utf8(key)}, args);
  }

  private <T> T await(String key, CompletionStage<T> stage) {
    try {
      // Lettuce fails the command at the command timeout; the margin only guards against a lost
      // completion, so no call can hang.
      return stage.toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Exceptions.translate(e, endpoint, timeout);
    } catch (ExecutionException | TimeoutException e) {
      throw translate(key, e);
    }
  }

  private RuntimeException translate(String key, Throwable e) {
    Throwable cause = unwrap(e);
    // Redis 7 passes a script's WRONGTYPE through; 6.2 wraps it in "ERR Error running script".
    if (cause instanceof RedisCommandExecutionException
        && String.valueOf(cause.getMessage()).contains("WRONGTYPE")) {
      return new WrongTypeException(
          "key '" + key + "' on " + endpoint + " holds another type: " + cause.getMessage(), cause);
    }
    return connector.translate(cause);
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof ExecutionException
            || c instanceof java.util.concurrent.CompletionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private final class RedisLock extends TokenLock {

    RedisLock(String key, String token) {
      super(key, token);
    }

    @Override
    public boolean release() {
      return await(key(), script(CacheScripts.RELEASE, key(), new byte[][] {utf8(token())})) == 1;
    }

    @Override
    public boolean extend(Duration ttl) {
      byte[][] args = {utf8(token()), utf8(Long.toString(Keys.requireTtlMillis(ttl)))};
      return await(key(), script(CacheScripts.EXTEND, key(), args)) == 1;
    }
  }
}
