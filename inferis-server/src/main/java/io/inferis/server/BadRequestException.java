package io.inferis.server;

import io.inferis.InferisException;

/** A request the server rejects with a 4xx status and {@code {"error": message}}. */
class BadRequestException extends InferisException {

  private static final long serialVersionUID = 1L;

  private final int status;

  /** A 422: the body is JSON but not a valid request. */
  BadRequestException(String message) {
    this(422, message);
  }

  BadRequestException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
