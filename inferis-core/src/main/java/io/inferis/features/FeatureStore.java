package io.inferis.features;

import io.inferis.feast.FeatureValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Feast-compatible online feature store: reads and writes in Feast's Redis layout byte for byte (or
 * the same semantics in memory). Thread-safe; create once, share, close.
 *
 * <p>A lookup sends one HMGET (or HGETALL) per distinct entity key covering every requested view's
 * fields and {@code _ts} fields, all dispatched together and pipelined, with replies gathered
 * asynchronously. Concurrency is bounded by an in-flight limit whose waiters queue FIFO up to an
 * acquire timeout ({@link OverloadedException}); each lookup has a deadline ({@link
 * DeadlineExceededException}), inside which failed reads are retried with jittered backoff.
 */
public interface FeatureStore extends AutoCloseable {

  /** The definitions this store serves. */
  FeatureRepo repo();

  /**
   * Looks up {@code featureRefs} ({@code view:feature}) for {@code entityRows} (join key → value)
   * within {@code deadline}.
   *
   * <p>Invalid requests (unknown view or feature, a row missing a join key, a value of the wrong
   * type, no references or rows) fail the future with {@link UnknownFeatureException} or {@link
   * InvalidRequestException} and send nothing.
   */
  CompletableFuture<OnlineFeatures> getOnlineFeatures(
      List<String> featureRefs, List<Map<String, FeatureValue>> entityRows, Duration deadline);

  /** {@link #getOnlineFeatures(List, List, Duration)} with the store's default deadline. */
  CompletableFuture<OnlineFeatures> getOnlineFeatures(
      List<String> featureRefs, List<Map<String, FeatureValue>> entityRows);

  /** Blocking form of {@link #getOnlineFeatures(List, List)}; rethrows the typed failure. */
  default OnlineFeatures get(List<String> featureRefs, List<Map<String, FeatureValue>> entityRows) {
    try {
      return getOnlineFeatures(featureRefs, entityRows).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /**
   * Writes rows to {@code view}: per row one HSET of every feature field and {@code _ts:<view>},
   * plus EXPIRE when a key TTL is configured, pipelined. Unless {@link
   * FeatureStoreOptions#skipOlderRows()} is off, a row whose event time is not newer than the
   * stored one (or an earlier row of the batch for the same key) is skipped, as Feast does.
   *
   * <p>Invalid rows (an unknown view or feature, a missing join key, a value of the wrong type)
   * fail the future with {@link UnknownFeatureException} or {@link InvalidRequestException}, and
   * nothing of the batch is written.
   *
   * @return the number of rows written (not skipped)
   */
  CompletableFuture<Integer> write(String view, List<FeatureRow> rows);

  /** Blocking form of {@link #write}. */
  default int writeRows(String view, List<FeatureRow> rows) {
    try {
      return write(view, rows).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** Closes what the store owns (not a shared connector). */
  @Override
  void close();
}
