package io.inferis.cache;

import io.inferis.InferisException;

/** A typed value could not be encoded, or stored bytes could not be decoded to the type. */
public class CacheCodecException extends InferisException {

  private static final long serialVersionUID = 1L;

  /** An exception naming the key and the type. */
  public CacheCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
