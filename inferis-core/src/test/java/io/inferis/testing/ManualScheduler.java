package io.inferis.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler driven by a {@link FakeClock}: tasks run only inside {@link #runDue()}, on the
 * calling thread, when the clock (its {@link FakeClock#read() ticker}, to the nanosecond) has
 * reached their time. Lets tests step through timers, retries and timeouts deterministically,
 * without sleeping.
 */
public final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {

  private final FakeClock clock;
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(
          Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq));
  private long seq;
  private boolean shutdown;

  public ManualScheduler(FakeClock clock) {
    this.clock = clock;
  }

  /** Runs every task due by the clock, in time order (including ones that become due meanwhile). */
  public synchronized int runDue() {
    int ran = 0;
    while (!tasks.isEmpty() && tasks.peek().due - clock.read() <= 0) {
      Task t = tasks.poll();
      if (t.cancelled) {
        continue;
      }
      ran++;
      try {
        t.body.call();
      } catch (Exception e) {
        t.failed = true; // like a real scheduler: a throwing periodic task is not run again
        continue;
      }
      if (t.period > 0 && !shutdown) {
        t.due += t.period;
        tasks.add(t);
      } else {
        t.done = true;
      }
    }
    return ran;
  }

  /** Tasks waiting (not cancelled). */
  public synchronized int pending() {
    return (int) tasks.stream().filter(t -> !t.cancelled).count();
  }

  /** The delays, from now, of the tasks waiting (not cancelled), soonest first. */
  public synchronized java.util.List<java.time.Duration> pendingDelays() {
    return tasks.stream()
        .filter(t -> !t.cancelled)
        .sorted(Comparator.comparingLong((Task t) -> t.due))
        .map(t -> java.time.Duration.ofNanos(t.due - clock.read()))
        .toList();
  }

  /** Moves the clock by {@code d}, then runs what has become due. */
  public int advance(java.time.Duration d) {
    clock.advance(d);
    return runDue();
  }

  private synchronized Task add(Callable<?> body, long delayNanos, long period) {
    Task t = new Task(body, clock.read() + Math.max(0, delayNanos), period, seq++);
    tasks.add(t);
    return t;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(() -> run(command), unit.toNanos(delay), 0);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    @SuppressWarnings("unchecked")
    ScheduledFuture<V> f = (ScheduledFuture<V>) add(callable, unit.toNanos(delay), 0);
    return f;
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(() -> run(command), unit.toNanos(initialDelay), unit.toNanos(period));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return scheduleAtFixedRate(command, initialDelay, delay, unit);
  }

  private static Object run(Runnable r) {
    r.run();
    return "";
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    tasks.clear();
    return new ArrayList<>();
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && tasks.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  private final class Task implements ScheduledFuture<Object> {
    final Callable<?> body;
    final long period;
    final long seq;
    long due;
    volatile boolean cancelled;
    volatile boolean done;
    volatile boolean failed;

    Task(Callable<?> body, long due, long period, long seq) {
      this.body = body;
      this.due = due;
      this.period = period;
      this.seq = seq;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - clock.read(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return !done;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled || failed;
    }

    @Override
    public Object get() throws ExecutionException {
      throw new UnsupportedOperationException("not needed by the reporter");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) throws ExecutionException {
      throw new UnsupportedOperationException("not needed by the reporter");
    }
  }
}
