package io.inferis.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script sent as {@code EVALSHA}, falling back to {@code EVAL} on {@code NOSCRIPT} — which
 * also caches it on that node (a restarted node or a freshly promoted replica has an empty script
 * cache). No state is kept in this process. Thread-safe (immutable).
 */
public final class LuaScript {

  private final String source;
  private final String sha;

  public LuaScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  public String source() {
    return source;
  }

  public String sha() {
    return sha;
  }

  /** Runs the script on {@code keys} (all in one slot for a cluster) with {@code args}. */
  public <T> CompletableFuture<T> run(
      RedisClusterAsyncCommands<byte[], byte[]> redis,
      ScriptOutputType type,
      byte[][] keys,
      byte[]... args) {
    CompletableFuture<T> bySha = redis.<T>evalsha(sha, type, keys, args).toCompletableFuture();
    return bySha
        .handle(
            (v, err) -> {
              if (err == null) {
                return CompletableFuture.completedFuture(v);
              }
              Throwable cause = err instanceof CompletionException c ? c.getCause() : err;
              if (cause instanceof RedisNoScriptException) {
                return redis.<T>eval(source, type, keys, args).toCompletableFuture();
              }
              return CompletableFuture.<T>failedFuture(err);
            })
        .thenCompose(f -> f);
  }

  private static String sha1(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }
}
