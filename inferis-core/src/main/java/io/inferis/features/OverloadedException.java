package io.inferis.features;

import io.inferis.InferisException;

/**
 * The in-flight limit stayed full for the whole acquire timeout, or its wait queue was full:
 * backpressure, not a failure of Redis. Names the limiter, its limit and how long it waited.
 */
public class OverloadedException extends InferisException {

  private static final long serialVersionUID = 1L;

  /** An exception naming the resource and the wait. */
  public OverloadedException(String message) {
    super(message);
  }
}
