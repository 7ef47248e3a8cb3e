package io.inferis.redis.internal;

import io.inferis.InferisException;
import io.inferis.redis.RedisAuthenticationException;
import io.inferis.redis.RedisCommandException;
import io.inferis.redis.RedisTimeoutException;
import io.inferis.redis.RedisTlsException;
import io.inferis.redis.RedisUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Turns Lettuce and future failures into inferis's typed exceptions, naming the endpoint. Redis
 * error prefixes (LOADING, BUSY, MASTERDOWN, CLUSTERDOWN, READONLY, TRYAGAIN) count as
 * unavailability; other error replies are command errors. Refused credentials (WRONGPASS, NOAUTH)
 * become {@link RedisAuthenticationException} and failed TLS handshakes {@link RedisTlsException},
 * wherever Lettuce nests them.
 */
final class Exceptions {

  private Exceptions() {}

  /** The typed exception for {@code t}; an {@link InferisException} passes unchanged. */
  static RuntimeException translate(Throwable t, String endpoint, Duration timeout) {
    Throwable cause = unwrap(t);
    if (cause instanceof InferisException e) {
      return e;
    }
    if (cause instanceof IllegalArgumentException e) {
      return e;
    }
    Throwable auth = find(cause, Exceptions::isAuthenticationFailure);
    if (auth != null) {
      return new RedisAuthenticationException(
          "authentication to Redis at " + endpoint + " failed: " + auth.getMessage(), cause);
    }
    Throwable tls =
        find(cause, c -> c instanceof SSLException || c instanceof CertificateException);
    if (tls != null) {
      return new RedisTlsException(
          "TLS handshake with Redis at " + endpoint + " failed: " + rootMessage(tls), cause);
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
  static boolean isTransient(String redisError) {
    return redisError.startsWith("LOADING")
        || redisError.startsWith("BUSY")
        || redisError.startsWith("MASTERDOWN")
        || redisError.startsWith("CLUSTERDOWN")
        || redisError.startsWith("READONLY")
        || redisError.startsWith("TRYAGAIN")
        || redisError.startsWith("MOVED")
        || redisError.startsWith("ASK");
  }

  /**
   * True for a MOVED or ASK answer. Lettuce reports both as a {@link
   * RedisCommandExecutionException} whose message is Redis's error line: it has no redirect type of
   * its own ({@code LettuceAssumptionsTest} pins this).
   */
  static boolean isRedirect(Throwable err) {
    Throwable c = unwrap(err);
    if (!(c instanceof RedisCommandExecutionException)) {
      return false;
    }
    String m = String.valueOf(c.getMessage());
    return m.startsWith("MOVED ") || m.startsWith("ASK ");
  }

  /**
   * True for Redis's answers to bad or missing credentials: WRONGPASS (wrong password, unknown or
   * disabled user), NOAUTH (none given), and the ERR forms older servers and a password sent to a
   * server without one use.
   */
  static boolean isAuthenticationFailure(Throwable t) {
    if (!(t instanceof RedisCommandExecutionException)) {
      return false;
    }
    String msg = String.valueOf(t.getMessage());
    return msg.startsWith("WRONGPASS")
        || msg.startsWith("NOAUTH")
        || msg.startsWith("ERR invalid password")
        || msg.startsWith("ERR invalid username-password pair")
        || msg.startsWith("ERR AUTH");
  }

  /**
   * The first throwable in {@code t}'s causes and suppressed exceptions (Lettuce reports one
   * suppressed failure per cluster seed node) that matches.
   */
  static @Nullable Throwable find(Throwable t, Predicate<Throwable> matches) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Throwable> todo = new ArrayDeque<>();
    todo.add(t);
    while (!todo.isEmpty() && seen.size() < 64) {
      Throwable c = todo.poll();
      if (!seen.add(c)) {
        continue;
      }
      if (matches.test(c)) {
        return c;
      }
      if (c.getCause() != null) {
        todo.add(c.getCause());
      }
      todo.addAll(Arrays.asList(c.getSuppressed()));
    }
    return null;
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
