package io.inferis.server.feast;

import io.inferis.InferisException;
import org.jspecify.annotations.Nullable;

/**
 * A request the client got wrong, with the kind of mistake, which each transport maps to its own
 * status: an HTTP 4xx and {@code {"error": message}}, a gRPC status code. Thrown only for input the
 * server was given; an exception of any other type from a request is the server's fault.
 */
public class ClientError extends InferisException {

  private static final long serialVersionUID = 1L;

  /** What kind of mistake, and its HTTP status. */
  public enum Kind {
    /** The body cannot be read: not UTF-8, not JSON, a bad query string (400). */
    MALFORMED(400),
    /** It names a model, view, feature or service that does not exist (404). */
    NOT_FOUND(404),
    /** It is over a configured limit: rows, features, inputs (413). */
    TOO_LARGE(413),
    /** It is well-formed but not a valid request (422). */
    INVALID(422);

    private final int httpStatus;

    Kind(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    /** The HTTP status of this kind. */
    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Kind kind;
  private final @Nullable String feastClass;

  /** A client error of {@code kind} whose message says what is wrong. */
  public ClientError(Kind kind, String message) {
    this(kind, message, null);
  }

  /**
   * A client error that Feast answers with an exception of its own, {@code
   * feast.errors.<feastClass>} (an unknown feature view, feature service or push source): when
   * serving a Feast repository, it is answered in the body Feast's SDK rebuilds that exception
   * from.
   */
  public ClientError(Kind kind, String message, @Nullable String feastClass) {
    super(message);
    this.kind = kind;
    this.feastClass = feastClass;
  }

  /** The class in {@code feast.errors} Feast answers this mistake with, or null. */
  public @Nullable String feastClass() {
    return feastClass;
  }

  /** A well-formed request that is not valid. */
  public static ClientError invalid(String message) {
    return new ClientError(Kind.INVALID, message);
  }

  /** A request over a limit. */
  public static ClientError tooLarge(String message) {
    return new ClientError(Kind.TOO_LARGE, message);
  }

  /** A request naming something that does not exist. */
  public static ClientError notFound(String message) {
    return new ClientError(Kind.NOT_FOUND, message);
  }

  /** A request that cannot be read. */
  public static ClientError malformed(String message) {
    return new ClientError(Kind.MALFORMED, message);
  }

  /** The kind of mistake. */
  public Kind kind() {
    return kind;
  }
}
