package io.inferis.monitoring;

/**
 * Records inferences and errors without ever blocking on, or throwing because of, the store.
 *
 * <p>A call validates its arguments, stamps the event time (if the record has none), updates the
 * meters and puts the record on a bounded in-process queue; one flusher thread writes the queue in
 * batches. When the store is slow or down the queue drops its oldest records and counts them
 * ({@link MonitorStats#droppedRecords()}); it never grows beyond its capacity. Thread-safe.
 */
public interface Recorder {

  /**
   * Records one successful inference of {@code modelId}.
   *
   * @throws IllegalArgumentException if {@code modelId} is null, blank or longer than 256
   *     characters, or {@code record} is null; never for anything the store does
   */
  void record(String modelId, InferenceRecord record);

  /**
   * Records one failed inference of {@code modelId}: the request as far as it is known, and the
   * error's class name and message (cut to 256 characters).
   *
   * @throws IllegalArgumentException if {@code modelId} is null, blank or longer than 256
   *     characters, or {@code request} or {@code error} is null; never for anything the store does
   */
  void recordError(String modelId, InferenceRecord request, Throwable error);

  /** This server's id: the key hash tag and registry entry of everything it records. */
  String serverId();
}
