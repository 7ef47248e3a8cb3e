package io.inferis.monitoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A compact summary of what a model predicted: the top classes with their confidences, or numeric
 * outputs, or nothing. Immutable; thread-safe.
 *
 * <p>Classes are kept in order of confidence (highest first, ties by label), at most {@link
 * #MAX_CLASSES}; the first is the predicted class counted by reports. At most {@link #MAX_VALUES}
 * numeric outputs are accepted.
 */
public final class Prediction {

  /** Classes kept per prediction: the highest confidences. */
  public static final int MAX_CLASSES = 5;

  /** Numeric outputs accepted per prediction. */
  public static final int MAX_VALUES = 32;

  /** Longest class label. */
  public static final int MAX_LABEL_LENGTH = 128;

  private static final Prediction NONE = new Prediction(Map.of(), new double[0]);

  private final Map<String, Double> classes;
  private final double[] values;

  private Prediction(Map<String, Double> classes, double[] values) {
    this.classes = classes;
    this.values = values;
  }

  /** No prediction summary (e.g. for a failed request). */
  public static Prediction none() {
    return NONE;
  }

  /** One predicted class with its confidence. */
  public static Prediction ofClass(String label, double confidence) {
    return classes(Map.of(Args.notNull(label, "label"), confidence));
  }

  /**
   * Classes with confidences; only the {@link #MAX_CLASSES} highest are kept.
   *
   * @throws IllegalArgumentException if a label is blank or longer than {@link #MAX_LABEL_LENGTH},
   *     or a confidence is not finite
   */
  public static Prediction classes(Map<String, Double> confidences) {
    Args.notNull(confidences, "confidences");
    List<Map.Entry<String, Double>> entries = new ArrayList<>(confidences.size());
    for (Map.Entry<String, Double> e : confidences.entrySet()) {
      Args.notBlank(e.getKey(), "class label", MAX_LABEL_LENGTH);
      Double c = Args.notNull(e.getValue(), "confidence of '" + e.getKey() + "'");
      Args.finite(c, "confidence of '" + e.getKey() + "'");
      entries.add(Map.entry(e.getKey(), c));
    }
    entries.sort(
        (a, b) -> {
          int byConfidence = Double.compare(b.getValue(), a.getValue());
          return byConfidence != 0 ? byConfidence : a.getKey().compareTo(b.getKey());
        });
    Map<String, Double> kept = new LinkedHashMap<>();
    for (int i = 0; i < entries.size() && i < MAX_CLASSES; i++) {
      kept.put(entries.get(i).getKey(), entries.get(i).getValue());
    }
    return kept.isEmpty() ? NONE : new Prediction(Collections.unmodifiableMap(kept), new double[0]);
  }

  /**
   * Numeric outputs (a regression value, scores).
   *
   * @throws IllegalArgumentException if there are more than {@link #MAX_VALUES} or one is not
   *     finite
   */
  public static Prediction values(double... outputs) {
    Args.notNull(outputs, "outputs");
    if (outputs.length > MAX_VALUES) {
      throw new IllegalArgumentException(
          "outputs must have at most " + MAX_VALUES + " values, had " + outputs.length);
    }
    for (int i = 0; i < outputs.length; i++) {
      Args.finite(outputs[i], "outputs[" + i + "]");
    }
    return outputs.length == 0 ? NONE : new Prediction(Map.of(), outputs.clone());
  }

  /** The kept classes and confidences, highest first; empty if none. */
  public Map<String, Double> classes() {
    return classes;
  }

  /** The predicted class: the one with the highest confidence; empty if there are no classes. */
  public Optional<String> topClass() {
    return classes.isEmpty() ? Optional.empty() : Optional.of(classes.keySet().iterator().next());
  }

  /** The numeric outputs (a copy); empty if none. */
  public double[] values() {
    return values.clone();
  }

  /** True if there are neither classes nor values. */
  public boolean isEmpty() {
    return classes.isEmpty() && values.length == 0;
  }

  int valueCount() {
    return values.length;
  }

  double value(int i) {
    return values[i];
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Prediction p
        && p.classes.equals(classes)
        && List.copyOf(p.classes.keySet()).equals(List.copyOf(classes.keySet()))
        && Arrays.equals(p.values, values);
  }

  @Override
  public int hashCode() {
    return 31 * classes.hashCode() + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return classes.isEmpty() ? Arrays.toString(values) : classes.toString();
  }
}
