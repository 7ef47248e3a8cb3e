package io.inferis.server.model;

import io.inferis.monitoring.Prediction;
import java.util.List;
import java.util.Map;

/**
 * A model the server can run: named inputs in, a {@link Prediction} out. Inputs named {@code
 * view:feature} are fetched from the feature store for the request's entity rows; other names are
 * raw inputs from the request body.
 *
 * <p>To plug in a Java model, implement this interface and register it with {@link
 * Models#register}; implementations must be thread-safe.
 */
public interface Model {

  /** The name {@code /infer/{name}} addresses. */
  String name();

  /** Every input the model reads: feature references and raw input names. */
  List<String> inputs();

  /**
   * Predicts from the inputs of one row.
   *
   * @throws IllegalArgumentException if an input is missing or invalid (answered 422)
   */
  Prediction predict(Map<String, Double> inputs);
}
