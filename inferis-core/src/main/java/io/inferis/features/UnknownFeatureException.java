package io.inferis.features;

import io.inferis.InferisException;

/** A request named a feature view or feature that the repository does not define. */
public class UnknownFeatureException extends InferisException {

  private static final long serialVersionUID = 1L;

  /** An exception naming what is unknown. */
  public UnknownFeatureException(String message) {
    super(message);
  }
}
