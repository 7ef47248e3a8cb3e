package io.inferis.registry;

import io.inferis.InferisException;

/**
 * A Feast repository that inferis cannot serve as configured: its {@code feature_store.yaml} is
 * malformed or asks for something inferis does not support, or its registry cannot be read. The
 * message names the file or the registry and what is wrong.
 */
public class FeastConfigException extends InferisException {

  private static final long serialVersionUID = 1L;

  /** An exception whose message names the file and the problem. */
  public FeastConfigException(String message) {
    super(message);
  }

  /** An exception with the failure that revealed the problem. */
  public FeastConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
