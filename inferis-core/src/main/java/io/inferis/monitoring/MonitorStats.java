package io.inferis.monitoring;

/**
 * A snapshot of a monitor's counters since it started. Immutable. Every loss is counted here (and
 * in the Micrometer meters): nothing is dropped silently.
 *
 * @param recorded records accepted by {@link Recorder#record} and {@link Recorder#recordError}
 * @param written records written to the store
 * @param droppedRecords records dropped from the full queue (the oldest first), or recorded after
 *     close
 * @param failedRecords records in batches whose write failed (the store was slow or down); some of
 *     them may have been written
 * @param queueDepth records waiting in the queue now
 * @param queueCapacity the queue's capacity
 * @param reportsSent reports delivered (HTTP 2xx)
 * @param reportFailures failed POST attempts (each retried) and failed report runs
 * @param reportsDropped reports lost: dropped from the full spool, or rejected with a 4xx
 * @param reportsSpooled reports waiting to be sent now
 * @param reportRunsSkipped report runs skipped because the previous one was still running
 */
public record MonitorStats(
    long recorded,
    long written,
    long droppedRecords,
    long failedRecords,
    int queueDepth,
    int queueCapacity,
    long reportsSent,
    long reportFailures,
    long reportsDropped,
    int reportsSpooled,
    long reportRunsSkipped) {}
