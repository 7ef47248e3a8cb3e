package io.inferis.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable options for a connection to Redis (standalone, Sentinel or Cluster). Build with {@link
 * #builder()}, start from {@link #defaults()}, change with {@link #toBuilder()}.
 *
 * <p>Every bound has a default named here: {@link #DEFAULT_COMMAND_TIMEOUT}, {@link
 * #DEFAULT_CONNECT_TIMEOUT}, {@link #DEFAULT_REQUEST_QUEUE_SIZE}, {@link
 * #DEFAULT_RECONNECT_MIN_DELAY}/{@link #DEFAULT_RECONNECT_MAX_DELAY} (full jitter), {@link
 * #DEFAULT_TOPOLOGY_REFRESH_PERIOD}. Thread-safe (immutable).
 */
public final class RedisOptions {

  /** A command that gets no reply within this time fails with {@link RedisTimeoutException}. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

  /** TCP connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /**
   * Commands queued per connection (Lettuce's request queue). A full queue rejects the command with
   * {@link RedisUnavailableException}; the queue never grows without bound.
   */
  public static final int DEFAULT_REQUEST_QUEUE_SIZE = 65_536;

  /** Smallest delay before a reconnect attempt. */
  public static final Duration DEFAULT_RECONNECT_MIN_DELAY = Duration.ofMillis(10);

  /** Largest delay before a reconnect attempt; each delay is drawn uniformly (full jitter). */
  public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(2);

  /** How often a cluster client re-reads the topology even without MOVED/ASK or errors. */
  public static final Duration DEFAULT_TOPOLOGY_REFRESH_PERIOD = Duration.ofSeconds(30);

  private static final RedisOptions DEFAULTS = new Builder().build();

  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final int requestQueueSize;
  private final Duration reconnectMinDelay;
  private final Duration reconnectMaxDelay;
  private final Duration topologyRefreshPeriod;
  private final boolean keepAlive;
  private final boolean readFromReplicas;

  private RedisOptions(Builder b) {
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.requestQueueSize = b.requestQueueSize;
    this.reconnectMinDelay = b.reconnectMinDelay;
    this.reconnectMaxDelay = b.reconnectMaxDelay;
    this.topologyRefreshPeriod = b.topologyRefreshPeriod;
    this.keepAlive = b.keepAlive;
    this.readFromReplicas = b.readFromReplicas;
  }

  /** The defaults listed in the class comment. */
  public static RedisOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.commandTimeout = commandTimeout;
    b.connectTimeout = connectTimeout;
    b.requestQueueSize = requestQueueSize;
    b.reconnectMinDelay = reconnectMinDelay;
    b.reconnectMaxDelay = reconnectMaxDelay;
    b.topologyRefreshPeriod = topologyRefreshPeriod;
    b.keepAlive = keepAlive;
    b.readFromReplicas = readFromReplicas;
    return b;
  }

  /** See {@link #DEFAULT_COMMAND_TIMEOUT}. */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /** See {@link #DEFAULT_CONNECT_TIMEOUT}. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** See {@link #DEFAULT_REQUEST_QUEUE_SIZE}. */
  public int requestQueueSize() {
    return requestQueueSize;
  }

  /** See {@link #DEFAULT_RECONNECT_MIN_DELAY}. */
  public Duration reconnectMinDelay() {
    return reconnectMinDelay;
  }

  /** See {@link #DEFAULT_RECONNECT_MAX_DELAY}. */
  public Duration reconnectMaxDelay() {
    return reconnectMaxDelay;
  }

  /** See {@link #DEFAULT_TOPOLOGY_REFRESH_PERIOD}. */
  public Duration topologyRefreshPeriod() {
    return topologyRefreshPeriod;
  }

  /** TCP keepalive on every connection; default true. */
  public boolean keepAlive() {
    return keepAlive;
  }

  /** Cluster only: serve reads from replicas when one is available; default false. */
  public boolean readFromReplicas() {
    return readFromReplicas;
  }

  /** Builder for {@link RedisOptions}; not thread-safe. Each setter validates its argument. */
  public static final class Builder {
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private int requestQueueSize = DEFAULT_REQUEST_QUEUE_SIZE;
    private Duration reconnectMinDelay = DEFAULT_RECONNECT_MIN_DELAY;
    private Duration reconnectMaxDelay = DEFAULT_RECONNECT_MAX_DELAY;
    private Duration topologyRefreshPeriod = DEFAULT_TOPOLOGY_REFRESH_PERIOD;
    private boolean keepAlive = true;
    private boolean readFromReplicas;

    private Builder() {}

    /** Must be positive. */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive("commandTimeout", timeout);
      return this;
    }

    /** Must be positive. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /** Must be between 1 and 16,777,216; never unbounded. */
    public Builder requestQueueSize(int size) {
      if (size < 1 || size > 16_777_216) {
        throw new IllegalArgumentException(
            "requestQueueSize must be between 1 and 16777216, was " + size);
      }
      this.requestQueueSize = size;
      return this;
    }

    /** Reconnect delays are drawn uniformly from [min, exponential(attempt)] capped at max. */
    public Builder reconnectDelay(Duration min, Duration max) {
      positive("reconnectMinDelay", min);
      positive("reconnectMaxDelay", max);
      if (max.compareTo(min) < 0) {
        throw new IllegalArgumentException(
            "reconnectMaxDelay must be >= reconnectMinDelay, was " + max + " < " + min);
      }
      this.reconnectMinDelay = min;
      this.reconnectMaxDelay = max;
      return this;
    }

    /** Must be positive. */
    public Builder topologyRefreshPeriod(Duration period) {
      this.topologyRefreshPeriod = positive("topologyRefreshPeriod", period);
      return this;
    }

    /** TCP keepalive; default true. */
    public Builder keepAlive(boolean keepAlive) {
      this.keepAlive = keepAlive;
      return this;
    }

    /** Cluster only: read from replicas when possible. */
    public Builder readFromReplicas(boolean readFromReplicas) {
      this.readFromReplicas = readFromReplicas;
      return this;
    }

    /** The options. */
    public RedisOptions build() {
      return new RedisOptions(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
