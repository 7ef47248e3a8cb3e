package io.inferis.server.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.inferis.monitoring.Prediction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in model: a linear or logistic regression over named inputs, defined by a JSON file:
 *
 * <pre>{@code
 * {"name": "driver-risk", "type": "logistic", "bias": -1.5,
 *  "weights": {"driver_hourly_stats:conv_rate": 2.0, "driver_hourly_stats:acc_rate": -1.0},
 *  "classes": ["low", "high"]}
 * }</pre>
 *
 * A linear model outputs its score; a logistic one the probability of {@code classes[1]} and its
 * complement for {@code classes[0]}. Immutable and thread-safe.
 */
public final class LinearModel implements Model {

  private final String name;
  private final boolean logistic;
  private final double bias;
  private final Map<String, Double> weights;
  private final List<String> classes;

  LinearModel(
      String name,
      boolean logistic,
      double bias,
      Map<String, Double> weights,
      List<String> classes) {
    this.name = name;
    this.logistic = logistic;
    this.bias = bias;
    this.weights = Map.copyOf(weights);
    this.classes = List.copyOf(classes);
  }

  /** Parses a model definition; {@code source} names it in error messages. */
  static LinearModel parse(JsonNode n, String source) {
    String name = n.path("name").asText("");
    if (!name.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new IllegalArgumentException(source + ": 'name' must be 1-128 of [A-Za-z0-9._-]");
    }
    String type = n.path("type").asText("");
    if (!type.equals("linear") && !type.equals("logistic")) {
      throw new IllegalArgumentException(source + ": 'type' must be linear or logistic");
    }
    JsonNode w = n.get("weights");
    if (w == null || !w.isObject() || w.isEmpty()) {
      throw new IllegalArgumentException(source + ": 'weights' must map input names to numbers");
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    w.fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isNumber()) {
                throw new IllegalArgumentException(
                    source + ": weight of '" + e.getKey() + "' is not a number");
              }
              weights.put(e.getKey(), e.getValue().doubleValue());
            });
    List<String> classes = new ArrayList<>();
    n.path("classes").forEach(c -> classes.add(c.asText()));
    if (type.equals("logistic") && classes.size() != 2) {
      throw new IllegalArgumentException(source + ": a logistic model needs exactly 2 'classes'");
    }
    return new LinearModel(
        name, type.equals("logistic"), n.path("bias").asDouble(0), weights, classes);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> inputs() {
    return List.copyOf(weights.keySet());
  }

  @Override
  public Prediction predict(Map<String, Double> inputs) {
    double score = bias;
    for (Map.Entry<String, Double> w : weights.entrySet()) {
      Double x = inputs.get(w.getKey());
      if (x == null || x.isNaN() || x.isInfinite()) {
        throw new IllegalArgumentException(
            "input '" + w.getKey() + "' is missing or not a finite number");
      }
      score += w.getValue() * x;
    }
    if (!logistic) {
      return Prediction.values(score);
    }
    double p = 1 / (1 + Math.exp(-score));
    Map<String, Double> out = new LinkedHashMap<>();
    out.put(classes.get(1), p);
    out.put(classes.get(0), 1 - p);
    return Prediction.classes(out);
  }
}
