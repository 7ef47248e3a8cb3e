package io.inferis.redis.internal;

import io.inferis.InferisException;
import io.inferis.redis.RedisCommandException;
import io.inferis.redis.RedisTimeoutException;
import io.inferis.redis.RedisUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns Lettuce and future failures into inferis's typed exceptions, naming the endpoint. Redis
 * error prefixes (LOADING, BUSY, MASTERDOWN, CLUSTERDOWN, READONLY, TRYAGAIN) count as
 * unavailability; other error replies are command errors.
 */
public final class Exceptions {

  private Exceptions() {}

  /** The typed exception for {@code t}; an {@link InferisException} passes unchanged. */
  public static RuntimeException translate(Throwable t, String endpoint, Duration timeout) {
    Throwable cause = unwrap(t);
    if (cause instanceof InferisException e) {
      return e;
    }
    if (cause instanceof IllegalArgumentException e) {
      return e;
    }
    if (cause instanceof RedisCommandTimeoutException || cause instanceof TimeoutException) {
      return new RedisTimeoutException(
          "Redis at " + endpoint + " did not answer within " + timeout.toMillis() + " ms", cause);
    }
    if (cause instanceof RedisConnectionException) {
      return new RedisUnavailableException(
          "cannot connect to Redis at " + endpoint + ": " + rootMessage(cause), cause);
    }
    if (cause instanceof RedisCommandExecutionException) {
      String msg = String.valueOf(cause.getMessage());
      if (isTransient(msg)) {
        return new RedisUnavailableException(
            "Redis at " + endpoint + " is unavailable: " + msg, cause);
      }
      return new RedisCommandException(
          "Redis at " + endpoint + " rejected the command: " + msg, cause);
    }
    if (cause instanceof RedisException || cause instanceof CancellationException) {
      return new RedisUnavailableException(
          "Redis at " + endpoint + " is unavailable: " + rootMessage(cause), cause);
    }
    if (cause instanceof RuntimeException e) {
      return e;
    }
    return new RedisUnavailableException("Redis at " + endpoint + " failed: " + cause, cause);
  }

  /** True for error replies that a retry (after a refresh or a wait) can cure. */
  public static boolean isTransient(String redisError) {
    return redisError.startsWith("LOADING")
        || redisError.startsWith("BUSY")
        || redisError.startsWith("MASTERDOWN")
        || redisError.startsWith("CLUSTERDOWN")
        || redisError.startsWith("READONLY")
        || redisError.startsWith("TRYAGAIN")
        || redisError.startsWith("MOVED")
        || redisError.startsWith("ASK");
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
  }
}
