package io.inferis.monitoring;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The aggregate of one model over a window (across the servers in scope). Immutable.
 *
 * <p>Latency percentiles use the nearest-rank method over every successful inference in the window
 * (an error record has no latency in these figures); all latency figures are 0 when there were no
 * inferences. At most {@link #MAX_CLASS_COUNTS} predicted classes are listed, the most frequent
 * first; the rest are summed under {@link #OTHER_CLASSES}.
 *
 * @param model the model id
 * @param inferences successful inferences recorded in the window
 * @param errors failed inferences recorded in the window
 * @param p50Millis median latency, milliseconds
 * @param p95Millis 95th percentile latency, milliseconds
 * @param p99Millis 99th percentile latency, milliseconds
 * @param maxMillis largest latency, milliseconds
 * @param classCounts inferences per predicted (top) class, most frequent first
 */
public record ModelSummary(
    String model,
    long inferences,
    long errors,
    double p50Millis,
    double p95Millis,
    double p99Millis,
    double maxMillis,
    Map<String, Long> classCounts) {

  /** Most classes listed per model. */
  public static final int MAX_CLASS_COUNTS = 100;

  /** The class under which classes beyond {@link #MAX_CLASS_COUNTS} are summed. */
  public static final String OTHER_CLASSES = "_other";

  /** Copies {@code classCounts}, keeping its order. */
  public ModelSummary {
    Args.notNull(model, "model");
    classCounts = Collections.unmodifiableMap(new LinkedHashMap<>(classCounts));
  }
}
