package io.inferis.features;

import io.inferis.Ticker;
import io.inferis.redis.RedisTimeoutException;
import io.inferis.redis.RedisUnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A store's reads under its {@link RetryPolicy}: a read that fails with {@link
 * RedisUnavailableException} is tried again after a full-jitter backoff, while attempts, the retry
 * budget and the deadline allow; a timeout once the deadline has passed is a {@link
 * DeadlineExceededException}. Backoff runs on the injected timer, deadlines on the injected ticker.
 * Thread-safe.
 */
final class Retries {

  private final RetryPolicy policy;
  private final RetryBudget budget;
  private final Ticker ticker;
  private final ScheduledExecutorService timer;
  private final Function<@Nullable Throwable, DeadlineExceededException> deadlineExceeded;

  Retries(
      RetryPolicy policy,
      Ticker ticker,
      ScheduledExecutorService timer,
      Function<@Nullable Throwable, DeadlineExceededException> deadlineExceeded) {
    this.policy = policy;
    this.budget = new RetryBudget(policy);
    this.ticker = ticker;
    this.timer = timer;
    this.deadlineExceeded = deadlineExceeded;
  }

  /** One lookup's share of the retry budget. */
  void earn() {
    budget.deposit();
  }

  /** Whole retries banked now. */
  long banked() {
    return budget.banked();
  }

  /** {@code call} now, and again on failure as the policy allows, until {@code deadlineNanos}. */
  <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> call, long deadlineNanos) {
    return withRetry(call, deadlineNanos, 1);
  }

  /** The first attempt, already sent as {@code first}, then retries of {@code call}. */
  <T> CompletableFuture<T> after(
      CompletableFuture<T> first, Supplier<CompletableFuture<T>> call, long deadlineNanos) {
    return retrying(first, call, deadlineNanos, 1);
  }

  /** Retries connection errors and timeouts with full-jitter backoff while the deadline allows. */
  private <T> CompletableFuture<T> withRetry(
      Supplier<CompletableFuture<T>> call, long deadlineNanos, int attempt) {
    if (ticker.read() - deadlineNanos >= 0) {
      return CompletableFuture.failedFuture(deadlineExceeded.apply(null));
    }
    CompletableFuture<T> first;
    try {
      first = call.get();
    } catch (RuntimeException e) {
      first = CompletableFuture.failedFuture(e);
    }
    return retrying(first, call, deadlineNanos, attempt);
  }

  /**
   * {@code attempt} (already dispatched), then retries of {@code call} as in {@link #withRetry}. A
   * successful attempt completes the result in one stage.
   */
  private <T> CompletableFuture<T> retrying(
      CompletableFuture<T> attemptResult,
      Supplier<CompletableFuture<T>> call,
      long deadlineNanos,
      int attempt) {
    CompletableFuture<T> out = new CompletableFuture<>();
    attemptResult.whenComplete(
        (v, err) -> {
          if (err == null) {
            out.complete(v);
            return;
          }
          CompletableFuture<T> next;
          try {
            next = afterFailure(err, call, deadlineNanos, attempt);
          } catch (RuntimeException e) {
            next = CompletableFuture.failedFuture(e);
          }
          next.whenComplete(
              (v2, err2) -> {
                if (err2 == null) {
                  out.complete(v2);
                } else {
                  out.completeExceptionally(err2);
                }
              });
        });
    return out;
  }

  /** The next attempt after {@code err}, later and within the deadline, or the failure to keep. */
  private <T> CompletableFuture<T> afterFailure(
      Throwable err, Supplier<CompletableFuture<T>> call, long deadlineNanos, int attempt) {
    Throwable cause = unwrap(err);
    if (cause instanceof RedisTimeoutException && ticker.read() - deadlineNanos >= 0) {
      return CompletableFuture.failedFuture(deadlineExceeded.apply(cause));
    }
    if (!(cause instanceof RedisUnavailableException)
        || attempt >= policy.maxAttempts()
        || !budget.withdraw()) {
      return CompletableFuture.failedFuture(cause);
    }
    long delay = policy.backoffNanos(attempt, ThreadLocalRandom.current());
    if (ticker.read() + delay - deadlineNanos >= 0) {
      return CompletableFuture.failedFuture(cause);
    }
    CompletableFuture<T> next = new CompletableFuture<>();
    try {
      timer.schedule(
          () -> withRetry(call, deadlineNanos, attempt + 1).whenComplete(into(next)),
          delay,
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      return CompletableFuture.failedFuture(cause);
    }
    return next;
  }

  private static <T> BiConsumer<T, Throwable> into(CompletableFuture<T> out) {
    return (v, err) -> {
      if (err == null) {
        out.complete(v);
      } else {
        out.completeExceptionally(err);
      }
    };
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
