package io.inferis.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Limits and access control of a {@link FeatureHttpServer}: immutable, built with {@link
 * #builder()}; {@link #defaults()} has every {@code DEFAULT_*} below and no authentication.
 *
 * <p>With an {@linkplain Builder#authToken auth token}, every request must carry {@code
 * Authorization: Bearer <token>} (401 otherwise), except {@code /health} while {@linkplain
 * Builder#openHealth openHealth} is on (the default: probes carry no credentials), {@code /metrics}
 * if {@linkplain Builder#openMetrics openMetrics} is on (off by default: Prometheus can send a
 * bearer token), and the dashboard page {@code /}, which is static and holds no data (its data,
 * from {@code /monitor/summary}, needs the token). The token is kept only as a SHA-256 digest and
 * never appears in {@link #toString()}, logs or responses.
 */
public final class ServerOptions {

  /** Largest request body: 1 MiB. Larger bodies get 413. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  /** Most entity rows (or {@code df} rows) per request: 1000. More get 413. */
  public static final int DEFAULT_MAX_ENTITIES = 1000;

  /** Most feature references per lookup, and inputs per {@code /infer} row: 1000. More get 413. */
  public static final int DEFAULT_MAX_FEATURES = 1000;

  /** Largest header block: 16 KiB. Larger gets 431. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

  /** Longest request line (method, URI, version): 8 KiB. Longer gets 414. */
  public static final int DEFAULT_MAX_INITIAL_LINE_LENGTH = 8 * 1024;

  /** Requests handled at once (reading a body counts); one more gets 429: 512. */
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 512;

  /** The window of {@code /monitor/summary} when the request names none: 2 minutes. */
  public static final Duration DEFAULT_SUMMARY_WINDOW = Duration.ofMinutes(2);

  /** Between two points of the dashboard's charts, which keep 180 of them (15 minutes). */
  public static final Duration DEFAULT_HISTORY_STEP = Duration.ofSeconds(5);

  /** Event loops serving HTTP: one per processor the JVM may use (container limits count). */
  public static final int DEFAULT_EVENT_LOOPS = Runtime.getRuntime().availableProcessors();

  /** A connection with no bytes in or out for this long is closed. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  /**
   * A request whose body has not fully arrived this long after its headers gets 408 and its
   * connection is closed, so a slow sender cannot hold a concurrency slot.
   */
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);

  /** Shortest accepted auth token, in characters. */
  public static final int MIN_TOKEN_LENGTH = 16;

  private static final ServerOptions DEFAULTS = builder().build();

  private final int maxBodyBytes;
  private final int maxEntities;
  private final int maxFeatures;
  private final int maxHeaderBytes;
  private final int maxInitialLineLength;
  private final int maxConcurrentRequests;
  private final int eventLoops;
  private final Duration idleTimeout;
  private final Duration bodyTimeout;
  private final Duration summaryWindow;
  private final Duration historyStep;
  private final byte @Nullable [] tokenDigest;
  private final boolean openHealth;
  private final boolean openMetrics;

  private ServerOptions(Builder b) {
    this.maxBodyBytes = b.maxBodyBytes;
    this.maxEntities = b.maxEntities;
    this.maxFeatures = b.maxFeatures;
    this.maxHeaderBytes = b.maxHeaderBytes;
    this.maxInitialLineLength = b.maxInitialLineLength;
    this.maxConcurrentRequests = b.maxConcurrentRequests;
    this.eventLoops = b.eventLoops;
    this.idleTimeout = b.idleTimeout;
    this.bodyTimeout = b.bodyTimeout;
    this.summaryWindow = b.summaryWindow;
    this.historyStep = b.historyStep;
    this.tokenDigest = b.tokenDigest;
    this.openHealth = b.openHealth;
    this.openMetrics = b.openMetrics;
  }

  /** Every default, no authentication. */
  public static ServerOptions defaults() {
    return DEFAULTS;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxBodyBytes = maxBodyBytes;
    b.maxEntities = maxEntities;
    b.maxFeatures = maxFeatures;
    b.maxHeaderBytes = maxHeaderBytes;
    b.maxInitialLineLength = maxInitialLineLength;
    b.maxConcurrentRequests = maxConcurrentRequests;
    b.eventLoops = eventLoops;
    b.idleTimeout = idleTimeout;
    b.bodyTimeout = bodyTimeout;
    b.summaryWindow = summaryWindow;
    b.historyStep = historyStep;
    b.tokenDigest = tokenDigest;
    b.openHealth = openHealth;
    b.openMetrics = openMetrics;
    return b;
  }

  /** Largest request body in bytes. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Most entity rows per request. */
  public int maxEntities() {
    return maxEntities;
  }

  /** Most feature references per lookup and inputs per inference row. */
  public int maxFeatures() {
    return maxFeatures;
  }

  /** Largest header block in bytes. */
  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  /** Longest request line in bytes. */
  public int maxInitialLineLength() {
    return maxInitialLineLength;
  }

  /** Requests handled at once. */
  public int maxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  /** Event loops that accept and serve connections (one Vert.x server each, sharing the port). */
  public int eventLoops() {
    return eventLoops;
  }

  /** Connections idle (no bytes either way) this long are closed. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Time from a request's headers to the end of its body before it gets 408. */
  public Duration bodyTimeout() {
    return bodyTimeout;
  }

  /** Default window of {@code /monitor/summary}. */
  public Duration summaryWindow() {
    return summaryWindow;
  }

  /** Time between two points of the dashboard's charts ({@code /monitor/history}). */
  public Duration historyStep() {
    return historyStep;
  }

  /** Whether requests need a bearer token. */
  public boolean authRequired() {
    return tokenDigest != null;
  }

  /** Whether {@code /health} answers without the token when auth is on. */
  public boolean openHealth() {
    return openHealth;
  }

  /** Whether {@code /metrics} answers without the token when auth is on. */
  public boolean openMetrics() {
    return openMetrics;
  }

  /**
   * Whether {@code presented} is the token, in time independent of where they differ: both sides
   * are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so not even the length
   * leaks. False when no token is configured.
   */
  public boolean tokenMatches(String presented) {
    return tokenDigest != null && MessageDigest.isEqual(tokenDigest, sha256(presented));
  }

  /** The limits; the token only as present or not. */
  @Override
  public String toString() {
    return "ServerOptions{maxBodyBytes="
        + maxBodyBytes
        + ", maxEntities="
        + maxEntities
        + ", maxFeatures="
        + maxFeatures
        + ", maxHeaderBytes="
        + maxHeaderBytes
        + ", maxInitialLineLength="
        + maxInitialLineLength
        + ", maxConcurrentRequests="
        + maxConcurrentRequests
        + ", eventLoops="
        + eventLoops
        + ", idleTimeout="
        + idleTimeout
        + ", bodyTimeout="
        + bodyTimeout
        + ", summaryWindow="
        + summaryWindow
        + ", historyStep="
        + historyStep
        + ", auth="
        + (authRequired() ? "bearer" : "off")
        + ", openHealth="
        + openHealth
        + ", openMetrics="
        + openMetrics
        + "}";
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Builds {@link ServerOptions}; each setter checks its argument. Not thread-safe. */
  public static final class Builder {

    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int maxEntities = DEFAULT_MAX_ENTITIES;
    private int maxFeatures = DEFAULT_MAX_FEATURES;
    private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
    private int maxInitialLineLength = DEFAULT_MAX_INITIAL_LINE_LENGTH;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
    private int eventLoops = DEFAULT_EVENT_LOOPS;
    private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
    private Duration summaryWindow = DEFAULT_SUMMARY_WINDOW;
    private Duration historyStep = DEFAULT_HISTORY_STEP;
    private byte @Nullable [] tokenDigest;
    private boolean openHealth = true;
    private boolean openMetrics = false;

    private Builder() {}

    /** Default {@value #DEFAULT_MAX_BODY_BYTES}; at least 1. */
    public Builder maxBodyBytes(int bytes) {
      this.maxBodyBytes = positive(bytes, "maxBodyBytes");
      return this;
    }

    /** Default {@value #DEFAULT_MAX_ENTITIES}; at least 1. */
    public Builder maxEntities(int rows) {
      this.maxEntities = positive(rows, "maxEntities");
      return this;
    }

    /** Default {@value #DEFAULT_MAX_FEATURES}; at least 1. */
    public Builder maxFeatures(int features) {
      this.maxFeatures = positive(features, "maxFeatures");
      return this;
    }

    /** Default {@value #DEFAULT_MAX_HEADER_BYTES}; at least 1024. */
    public Builder maxHeaderBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxHeaderBytes must be at least 1024, was " + bytes);
      }
      this.maxHeaderBytes = bytes;
      return this;
    }

    /** Default {@value #DEFAULT_MAX_INITIAL_LINE_LENGTH}; at least 256. */
    public Builder maxInitialLineLength(int bytes) {
      if (bytes < 256) {
        throw new IllegalArgumentException(
            "maxInitialLineLength must be at least 256, was " + bytes);
      }
      this.maxInitialLineLength = bytes;
      return this;
    }

    /** Default {@value #DEFAULT_MAX_CONCURRENT_REQUESTS}; at least 1. */
    public Builder maxConcurrentRequests(int requests) {
      this.maxConcurrentRequests = positive(requests, "maxConcurrentRequests");
      return this;
    }

    /** Default {@link #DEFAULT_IDLE_TIMEOUT}; at least 1 s (Vert.x counts whole seconds). */
    public Builder idleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "idleTimeout");
      if (timeout.toSeconds() < 1) {
        throw new IllegalArgumentException("idleTimeout must be at least 1 s, was " + timeout);
      }
      this.idleTimeout = timeout;
      return this;
    }

    /** Default {@link #DEFAULT_BODY_TIMEOUT}; positive. */
    public Builder bodyTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "bodyTimeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("bodyTimeout must be positive, was " + timeout);
      }
      this.bodyTimeout = timeout;
      return this;
    }

    /** Default {@link #DEFAULT_EVENT_LOOPS}; at least 1. */
    public Builder eventLoops(int loops) {
      this.eventLoops = positive(loops, "eventLoops");
      return this;
    }

    /** Default {@link #DEFAULT_SUMMARY_WINDOW}; positive. */
    public Builder summaryWindow(Duration window) {
      Objects.requireNonNull(window, "summaryWindow");
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("summaryWindow must be positive, was " + window);
      }
      this.summaryWindow = window;
      return this;
    }

    /** Default {@link #DEFAULT_HISTORY_STEP}; at least 10 ms. */
    public Builder historyStep(Duration step) {
      Objects.requireNonNull(step, "historyStep");
      if (step.compareTo(Duration.ofMillis(10)) < 0) {
        throw new IllegalArgumentException("historyStep must be at least 10 ms, was " + step);
      }
      this.historyStep = step;
      return this;
    }

    /**
     * Requires {@code Authorization: Bearer <token>} on every request but the open ones; null turns
     * authentication off (the default). A token is at least {@value #MIN_TOKEN_LENGTH} characters
     * of RFC 6750's token alphabet ({@code A-Z a-z 0-9 - . _ ~ + /}, then optional {@code =}). The
     * exception's message never contains the token.
     */
    public Builder authToken(@Nullable String token) {
      if (token == null) {
        this.tokenDigest = null;
        return this;
      }
      if (token.length() < MIN_TOKEN_LENGTH) {
        throw new IllegalArgumentException(
            "the auth token must be at least "
                + MIN_TOKEN_LENGTH
                + " characters, was "
                + token.length());
      }
      if (!token.matches("[A-Za-z0-9\\-._~+/]+=*")) {
        throw new IllegalArgumentException(
            "the auth token may hold only A-Z a-z 0-9 - . _ ~ + / and trailing = (RFC 6750)");
      }
      this.tokenDigest = sha256(token);
      return this;
    }

    /** Whether {@code /health} skips authentication; default true (for probes). */
    public Builder openHealth(boolean open) {
      this.openHealth = open;
      return this;
    }

    /** Whether {@code /metrics} skips authentication; default false. */
    public Builder openMetrics(boolean open) {
      this.openMetrics = open;
      return this;
    }

    /** The options. */
    public ServerOptions build() {
      return new ServerOptions(this);
    }

    private static int positive(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, was " + value);
      }
      return value;
    }
  }
}
