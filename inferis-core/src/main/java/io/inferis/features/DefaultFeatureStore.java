package io.inferis.features;

import io.inferis.Ticker;
import io.inferis.feast.EntityKeys;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldHashes;
import io.inferis.feast.Timestamps;
import io.inferis.feast.ValueCodec;
import io.inferis.features.internal.HashStore;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@link FeatureStore} over a {@link HashStore}: validation, planning, flow control (in-flight
 * limit, deadline, retries) and Feast's status rules. The same code serves Redis and memory. Time
 * comes from the options' ticker and scheduler, so flow control runs on a fake clock in tests.
 */
final class DefaultFeatureStore implements FeatureStore {

  private final Supplier<FeatureRepo> repos;
  private final HashStore store;
  private final FeatureStoreOptions options;
  private final Ticker ticker;
  private final Retries retries;
  private final ScheduledExecutorService timer;
  private final boolean ownTimer;
  private final InFlightLimiter limiter;
  private final LookupMetrics metrics;

  /** The request templates of the repository seen last; replaced when the repository is. */
  private volatile ReadPlan.Templates templates;

  DefaultFeatureStore(FeatureRepo repo, HashStore store, FeatureStoreOptions options) {
    this(constant(Objects.requireNonNull(repo, "repo")), store, options);
  }

  /**
   * A store whose definitions come from {@code repos} at each request (a registry refreshed in the
   * background): a request uses the repository it found when it began.
   */
  DefaultFeatureStore(Supplier<FeatureRepo> repos, HashStore store, FeatureStoreOptions options) {
    this.repos = Objects.requireNonNull(repos, "repos");
    FeatureRepo repo = Objects.requireNonNull(repos.get(), "repository");
    this.store = Objects.requireNonNull(store, "store");
    this.options = Objects.requireNonNull(options, "options");
    this.ticker = options.ticker();
    ScheduledExecutorService injected = options.scheduler();
    this.ownTimer = injected == null;
    this.timer = injected != null ? injected : ownTimer();
    this.retries = new Retries(options.retryPolicy(), ticker, timer, this::deadlineExceeded);
    this.templates = new ReadPlan.Templates(repo, store);
    this.limiter =
        new InFlightLimiter(
            "feature store (" + store.endpoint() + ")",
            options.inFlightLimit(),
            options.maxWaiters(),
            timer);
    this.metrics = new LookupMetrics(options.meterRegistry());
  }

  private static Supplier<FeatureRepo> constant(FeatureRepo repo) {
    return () -> repo;
  }

  /** The templates of the current repository: made anew when the repository changed. */
  private ReadPlan.Templates templates() {
    FeatureRepo repo = repos.get();
    ReadPlan.Templates t = templates;
    if (t.repo() != repo) {
      t = new ReadPlan.Templates(repo, store);
      templates = t;
    }
    return t;
  }

  /** One daemon thread for backoff and wait timeouts; cancelled timers leave its queue at once. */
  private static ScheduledExecutorService ownTimer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = Executors.defaultThreadFactory().newThread(r);
              thread.setName("inferis-feature-store-timer");
              thread.setDaemon(true);
              return thread;
            });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  @Override
  public FeatureRepo repo() {
    return repos.get();
  }

  @Override
  public CompletableFuture<OnlineFeatures> getOnlineFeatures(
      List<String> featureRefs, List<Map<String, FeatureValue>> entityRows) {
    return getOnlineFeatures(featureRefs, entityRows, options.requestDeadline());
  }

  @Override
  public CompletableFuture<OnlineFeatures> getOnlineFeatures(
      List<String> featureRefs, List<Map<String, FeatureValue>> entityRows, Duration deadline) {
    long start = metrics.enabled() ? ticker.read() : 0;
    CompletableFuture<OnlineFeatures> answer =
        fetch(featureRefs, entityRows, deadline)
            .thenApply(f -> f.plan.assemble(f.replies, options.clock().instant()));
    if (!metrics.enabled()) {
      return answer;
    }
    return answer.whenComplete((r, err) -> metrics.record(r, err, ticker.read() - start));
  }

  /**
   * Decodes in the calling thread rather than in the Redis client's I/O thread, which then only
   * completes futures and keeps serving sockets.
   */
  @Override
  public OnlineFeatures get(List<String> featureRefs, List<Map<String, FeatureValue>> entityRows) {
    long start = metrics.enabled() ? ticker.read() : 0;
    Fetched f;
    try {
      f = fetch(featureRefs, entityRows, options.requestDeadline()).join();
    } catch (CompletionException e) {
      if (metrics.enabled()) {
        metrics.record(null, e, ticker.read() - start);
      }
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    OnlineFeatures answer = f.plan.assemble(f.replies, options.clock().instant());
    if (metrics.enabled()) {
      metrics.record(answer, null, ticker.read() - start);
    }
    return answer;
  }

  private record Fetched(ReadPlan plan, List<List<byte @Nullable []>> replies) {}

  private CompletableFuture<Fetched> fetch(
      List<String> featureRefs, List<Map<String, FeatureValue>> entityRows, Duration deadline) {
    long deadlineNanos = ticker.read() + Objects.requireNonNull(deadline, "deadline").toNanos();
    ReadPlan plan;
    try {
      plan = ReadPlan.of(templates(), featureRefs, entityRows);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return limited(
        deadlineNanos,
        () -> {
          List<ReadPlan.KeyRead> reads = plan.reads();
          if (reads.size() == 1) {
            ReadPlan.KeyRead read = reads.get(0);
            return retries
                .call(() -> store.read(read, deadlineNanos), deadlineNanos)
                .thenApply(reply -> new Fetched(plan, List.of(reply)));
          }
          // First attempt: every read leaves together (one write per node); retries go singly.
          List<CompletableFuture<List<byte @Nullable []>>> first =
              store.readAll(reads, deadlineNanos);
          List<CompletableFuture<List<byte @Nullable []>>> replies = new ArrayList<>(reads.size());
          for (int i = 0; i < reads.size(); i++) {
            ReadPlan.KeyRead read = reads.get(i);
            replies.add(
                retries.after(first.get(i), () -> store.read(read, deadlineNanos), deadlineNanos));
          }
          return CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0]))
              .thenApply(
                  v -> {
                    List<List<byte @Nullable []>> out = new ArrayList<>(replies.size());
                    for (CompletableFuture<List<byte @Nullable []>> r : replies) {
                      out.add(r.join());
                    }
                    return new Fetched(plan, out);
                  });
        });
  }

  @Override
  public CompletableFuture<Integer> write(String viewName, List<FeatureRow> rows) {
    long deadlineNanos = ticker.read() + options.requestDeadline().toNanos();
    List<PreparedRow> prepared;
    FeatureViewDef view;
    try {
      FeatureRepo repo = repos.get();
      view = repo.requireView(viewName);
      Objects.requireNonNull(rows, "rows");
      prepared = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        prepared.add(prepare(repo, view, rows.get(i), i));
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (prepared.isEmpty()) {
      return CompletableFuture.completedFuture(0);
    }
    byte[] tsField = FieldHashes.timestampField(view.name());
    long ttlSeconds = options.keyTtl().getSeconds();
    return limited(
        deadlineNanos,
        () -> {
          CompletableFuture<List<PreparedRow>> kept =
              options.skipOlderRows()
                  ? newerThanStored(prepared, tsField, deadlineNanos)
                  : CompletableFuture.completedFuture(prepared);
          return kept.thenCompose(
              toWrite -> {
                List<HashStore.HashWrite> writes = new ArrayList<>(toWrite.size());
                for (PreparedRow p : toWrite) {
                  writes.add(p.write);
                }
                return store
                    .write(writes, ttlSeconds, deadlineNanos)
                    .thenApply(v -> toWrite.size());
              });
        });
  }

  /** Feast's dedup: drop rows not newer than the stored _ts or an earlier row for the same key. */
  private CompletableFuture<List<PreparedRow>> newerThanStored(
      List<PreparedRow> rows, byte[] tsField, long deadlineNanos) {
    HashStore.Fields tsFields = store.prepare(List.of(tsField));
    Map<ByteBuffer, CompletableFuture<List<byte @Nullable []>>> stored = new LinkedHashMap<>();
    for (PreparedRow p : rows) {
      HashStore.Read read = new StoredTime(p.write.key(), tsFields);
      stored.computeIfAbsent(
          ByteBuffer.wrap(p.write.key()),
          k -> retries.call(() -> store.read(read, deadlineNanos), deadlineNanos));
    }
    return CompletableFuture.allOf(stored.values().toArray(new CompletableFuture<?>[0]))
        .thenApply(
            v -> {
              Map<ByteBuffer, Long> latest = new HashMap<>();
              for (Map.Entry<ByteBuffer, CompletableFuture<List<byte @Nullable []>>> e :
                  stored.entrySet()) {
                byte[] ts = e.getValue().join().get(0);
                latest.put(e.getKey(), ts == null ? 0L : nanos(Timestamps.decode(ts)));
              }
              List<PreparedRow> kept = new ArrayList<>(rows.size());
              for (PreparedRow p : rows) {
                ByteBuffer k = ByteBuffer.wrap(p.write.key());
                long prev = latest.get(k);
                if (prev != 0 && p.eventNanos <= prev) {
                  continue;
                }
                latest.put(k, p.eventNanos);
                kept.add(p);
              }
              return kept;
            });
  }

  private static PreparedRow prepare(
      FeatureRepo repo, FeatureViewDef view, FeatureRow row, int index) {
    Objects.requireNonNull(row, "row " + index);
    byte[] key =
        EntityKeys.redisKey(RowKeys.entityKey(repo, view, row.entityKey(), index), repo.project());
    for (String name : row.values().keySet()) {
      if (view.feature(name).isEmpty()) {
        throw new UnknownFeatureException(
            "row "
                + index
                + " writes feature '"
                + name
                + "', which feature view '"
                + view.name()
                + "' does not define");
      }
    }
    List<byte[]> fields = new ArrayList<>(view.features().size() + 1);
    List<byte[]> values = new ArrayList<>(view.features().size() + 1);
    for (FeatureDef f : view.features()) {
      FeatureValue v = row.values().getOrDefault(f.name(), FeatureValue.empty());
      if (!v.isNull()) {
        v = RowKeys.coerce(v, f.type(), "feature '" + f.name() + "' of row " + index);
      }
      fields.add(FieldHashes.featureField(view.name(), f.name()));
      values.add(ValueCodec.encode(v));
    }
    fields.add(FieldHashes.timestampField(view.name()));
    values.add(Timestamps.encode(row.eventTime()));
    return new PreparedRow(new HashStore.HashWrite(key, fields, values), nanos(row.eventTime()));
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /**
   * Runs {@code work} inside an in-flight slot and the deadline. A slot that is free at once is
   * used without a future stage (the common case, run per lookup).
   */
  private <T> CompletableFuture<T> limited(
      long deadlineNanos, Supplier<CompletableFuture<T>> work) {
    long left = deadlineNanos - ticker.read();
    if (left <= 0) {
      return CompletableFuture.failedFuture(deadlineExceeded(null));
    }
    retries.earn();
    Duration wait = Duration.ofNanos(Math.min(left, options.acquireTimeout().toNanos()));
    CompletableFuture<InFlightLimiter.Permit> slot = limiter.acquire(wait);
    if (slot.isDone() && !slot.isCompletedExceptionally()) {
      return inSlot(slot.join(), work, deadlineNanos, false);
    }
    return slot.thenCompose(permit -> inSlot(permit, work, deadlineNanos, true));
  }

  /**
   * {@code work} holding {@code permit}, released when it completes; after a wait for the slot
   * ({@code waited}) the deadline is checked again first.
   */
  private <T> CompletableFuture<T> inSlot(
      InFlightLimiter.Permit permit,
      Supplier<CompletableFuture<T>> work,
      long deadlineNanos,
      boolean waited) {
    CompletableFuture<T> result;
    try {
      result =
          waited && deadlineNanos - ticker.read() <= 0
              ? CompletableFuture.failedFuture(deadlineExceeded(null))
              : work.get();
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result.handle(
        (v, err) -> {
          permit.release();
          if (err == null) {
            return v;
          }
          Throwable cause = unwrap(err);
          if (cause instanceof TimeoutException) {
            throw deadlineExceeded(cause);
          }
          throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
        });
  }

  /** The stored {@code _ts} of a key that a write may skip. */
  private record StoredTime(byte[] key, HashStore.Fields fields) implements HashStore.Read {
    @Override
    public boolean wholeHash() {
      return false;
    }
  }

  private DeadlineExceededException deadlineExceeded(@Nullable Throwable cause) {
    return new DeadlineExceededException(
        "feature lookup deadline passed before " + store.endpoint() + " answered", cause);
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  @Override
  public void close() {
    store.close();
    if (ownTimer) {
      // Timers already set still fire (the default of a ScheduledThreadPoolExecutor), so a retry
      // or a wait pending now ends with an answer rather than never.
      timer.shutdown();
    }
  }

  /** In-flight slots free now (metrics, tests). */
  int availableSlots() {
    return limiter.available();
  }

  /** Lookups waiting for an in-flight slot now (tests). */
  int waitingForSlot() {
    return limiter.waiting();
  }

  /** Whole retries left in the budget (tests). */
  long retriesBanked() {
    return retries.banked();
  }

  private record PreparedRow(HashStore.HashWrite write, long eventNanos) {}
}
