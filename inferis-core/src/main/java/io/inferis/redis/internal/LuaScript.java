package io.inferis.redis.internal;

import io.inferis.Ticker;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
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
final class LuaScript {

  private final String source;
  private final String sha;

  LuaScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  String source() {
    return source;
  }

  String sha() {
    return sha;
  }

  /** Runs the script on {@code keys} (all in one slot for a cluster) with {@code args}. */
  <T> CompletableFuture<T> run(
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

  /**
   * Runs the script on {@code key} with {@code args} as commands that time out at {@code
   * deadlineNanos} on {@code ticker}, sent through {@code router} (so in a cluster on the key's
   * master's node connection); the script's integer answer.
   */
  CompletableFuture<Long> runInteger(
      CommandRouter router, byte[] key, byte[][] args, long deadlineNanos, Ticker ticker) {
    return router
        .send(new Eval(CommandType.EVALSHA, sha, key, args, deadlineNanos, ticker))
        .handle(
            (v, err) -> {
              if (err == null) {
                return CompletableFuture.completedFuture(v);
              }
              if (Exceptions.find(err, e -> e instanceof RedisNoScriptException) != null) {
                return router.send(
                    new Eval(CommandType.EVAL, source, key, args, deadlineNanos, ticker));
              }
              return CompletableFuture.<Long>failedFuture(err);
            })
        .thenCompose(f -> f);
  }

  /** EVALSHA or EVAL of one key, integer answer. */
  private record Eval(
      CommandType type, String script, byte[] key, byte[][] args, long deadlineNanos, Ticker ticker)
      implements CommandRouter.Keyed<Long> {

    @Override
    public AsyncCommand<byte[], byte[], Long> newCommand() {
      CommandArgs<byte[], byte[]> a =
          new CommandArgs<>(LettuceConnector.CODEC).add(script).add(1).addKey(key);
      for (byte[] arg : args) {
        a.addValue(arg);
      }
      return Deadlines.command(
          new Command<>(type, new IntegerOutput<>(LettuceConnector.CODEC), a),
          deadlineNanos,
          ticker);
    }
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
