package io.inferis.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Immutable options of a {@link Monitor}. Build with {@link #builder()}, start from {@link
 * #defaults()}, change with {@link #toBuilder()}; each setter validates and names the constraint.
 *
 * <p>Every bound has a default: {@link #DEFAULT_PREFIX}, {@link #DEFAULT_REPORT_INTERVAL} (the
 * window is twice the interval unless set), {@link #DEFAULT_MAX_MEMBERS_PER_KEY}, {@link
 * #DEFAULT_REGISTRY_MAX_MEMBERS}, {@link #DEFAULT_QUEUE_CAPACITY}, {@link #DEFAULT_BATCH_SIZE},
 * {@link #DEFAULT_FLUSH_INTERVAL}, {@link #DEFAULT_REPORT_TIMEOUT}, {@link
 * #DEFAULT_RETRY_BASE_DELAY}/{@link #DEFAULT_RETRY_MAX_DELAY}, {@link #DEFAULT_SPOOL_CAPACITY},
 * {@link #DEFAULT_CLOSE_TIMEOUT}, {@link #DEFAULT_MAX_METERED_MODELS}. Thread-safe (immutable).
 *
 * <p>Over 400 lines because each of its options is a constant, a field, an accessor and a
 * validating setter with their Javadoc, in one place as an options class should be.
 */
public final class MonitoringOptions {

  /** Prefix of every monitoring key. */
  public static final String DEFAULT_PREFIX = "inferis:";

  /** How often the reporter aggregates the trailing window, and the server heartbeat period. */
  public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(60);

  /**
   * Members kept per (server, model) key at most, the newest winning: about 6 MB of Redis memory at
   * the ~300 B a typical record takes (measured by {@code MonitoringMemoryBench}).
   */
  public static final int DEFAULT_MAX_MEMBERS_PER_KEY = 20_000;

  /** Members kept per registry key ({@code models}, {@code servers}) at most. */
  public static final int DEFAULT_REGISTRY_MAX_MEMBERS = 100_000;

  /** Records waiting for the flusher at most; when full the oldest is dropped and counted. */
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

  /** Records written per round trip at most. */
  public static final int DEFAULT_BATCH_SIZE = 500;

  /** A partial batch is written at least this often. */
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);

  /** Timeout of one report POST (connect and response). */
  public static final Duration DEFAULT_REPORT_TIMEOUT = Duration.ofSeconds(5);

  /** First retry backoff ceiling of a failed POST; doubles per failure, full jitter. */
  public static final Duration DEFAULT_RETRY_BASE_DELAY = Duration.ofSeconds(1);

  /** Largest retry backoff ceiling. */
  public static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofSeconds(30);

  /** Unsent reports kept at most; when full the oldest is dropped and counted. */
  public static final int DEFAULT_SPOOL_CAPACITY = 60;

  /** How long {@link Monitor#close()} may spend on the final flush and the final report. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Distinct model ids with their own meters; further models share the tag {@code _other}. Each
   * metered model costs 26 series (two counters and a 20-bucket histogram), so 100 models stay
   * under 3,000 series per pod; the monitoring summary still covers every model.
   */
  public static final int DEFAULT_MAX_METERED_MODELS = 100;

  private static final MonitoringOptions DEFAULTS = builder().build();

  private final String prefix;
  private final @Nullable String serverId;
  private final Duration reportInterval;
  private final @Nullable Duration window;
  private final int maxMembersPerKey;
  private final int registryMaxMembers;
  private final int queueCapacity;
  private final int batchSize;
  private final Duration flushInterval;
  private final @Nullable URI reportUrl;
  private final Scope reportScope;
  private final Duration reportTimeout;
  private final Duration retryBaseDelay;
  private final Duration retryMaxDelay;
  private final int spoolCapacity;
  private final Duration closeTimeout;
  private final int maxMeteredModels;
  private final InstantSource clock;
  private final @Nullable ScheduledExecutorService scheduler;
  private final @Nullable MeterRegistry meterRegistry;

  private MonitoringOptions(Builder b) {
    this.prefix = b.prefix;
    this.serverId = b.serverId;
    this.reportInterval = b.reportInterval;
    this.window = b.window;
    this.maxMembersPerKey = b.maxMembersPerKey;
    this.registryMaxMembers = b.registryMaxMembers;
    this.queueCapacity = b.queueCapacity;
    this.batchSize = b.batchSize;
    this.flushInterval = b.flushInterval;
    this.reportUrl = b.reportUrl;
    this.reportScope = b.reportScope;
    this.reportTimeout = b.reportTimeout;
    this.retryBaseDelay = b.retryBaseDelay;
    this.retryMaxDelay = b.retryMaxDelay;
    this.spoolCapacity = b.spoolCapacity;
    this.closeTimeout = b.closeTimeout;
    this.maxMeteredModels = b.maxMeteredModels;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
    this.meterRegistry = b.meterRegistry;
  }

  /** The defaults listed in the class comment; no report URL, a generated server id. */
  public static MonitoringOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.prefix = prefix;
    b.serverId = serverId;
    b.reportInterval = reportInterval;
    b.window = window;
    b.maxMembersPerKey = maxMembersPerKey;
    b.registryMaxMembers = registryMaxMembers;
    b.queueCapacity = queueCapacity;
    b.batchSize = batchSize;
    b.flushInterval = flushInterval;
    b.reportUrl = reportUrl;
    b.reportScope = reportScope;
    b.reportTimeout = reportTimeout;
    b.retryBaseDelay = retryBaseDelay;
    b.retryMaxDelay = retryMaxDelay;
    b.spoolCapacity = spoolCapacity;
    b.closeTimeout = closeTimeout;
    b.maxMeteredModels = maxMeteredModels;
    b.clock = clock;
    b.scheduler = scheduler;
    b.meterRegistry = meterRegistry;
    return b;
  }

  /** See {@link #DEFAULT_PREFIX}. */
  public String prefix() {
    return prefix;
  }

  /**
   * This server's id, or null to generate one ({@code <host>-<pid>-<random>}) when the monitor
   * starts; see {@link Monitor#serverId()}.
   */
  public @Nullable String serverId() {
    return serverId;
  }

  /** See {@link #DEFAULT_REPORT_INTERVAL}. */
  public Duration reportInterval() {
    return reportInterval;
  }

  /**
   * The trailing window kept in the store: every key is trimmed to it and expires after it; twice
   * the {@linkplain #reportInterval() report interval} unless set.
   */
  public Duration window() {
    return window != null ? window : reportInterval.multipliedBy(2);
  }

  /**
   * How often this server's entry in the {@code servers} registry is refreshed when idle: the
   * report interval, or half the window if that is shorter, so a live server never lapses.
   */
  public Duration heartbeatInterval() {
    Duration half = window().dividedBy(2);
    return reportInterval.compareTo(half) < 0 ? reportInterval : half;
  }

  /** See {@link #DEFAULT_MAX_MEMBERS_PER_KEY}. */
  public int maxMembersPerKey() {
    return maxMembersPerKey;
  }

  /** See {@link #DEFAULT_REGISTRY_MAX_MEMBERS}. */
  public int registryMaxMembers() {
    return registryMaxMembers;
  }

  /** See {@link #DEFAULT_QUEUE_CAPACITY}. */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** See {@link #DEFAULT_BATCH_SIZE}. */
  public int batchSize() {
    return batchSize;
  }

  /** See {@link #DEFAULT_FLUSH_INTERVAL}. */
  public Duration flushInterval() {
    return flushInterval;
  }

  /** Where reports are POSTed; null (default): no reporter runs. */
  public @Nullable URI reportUrl() {
    return reportUrl;
  }

  /** What each report covers; default {@link Scope#SERVER}. */
  public Scope reportScope() {
    return reportScope;
  }

  /** See {@link #DEFAULT_REPORT_TIMEOUT}. */
  public Duration reportTimeout() {
    return reportTimeout;
  }

  /** See {@link #DEFAULT_RETRY_BASE_DELAY}. */
  public Duration retryBaseDelay() {
    return retryBaseDelay;
  }

  /** See {@link #DEFAULT_RETRY_MAX_DELAY}. */
  public Duration retryMaxDelay() {
    return retryMaxDelay;
  }

  /** See {@link #DEFAULT_SPOOL_CAPACITY}. */
  public int spoolCapacity() {
    return spoolCapacity;
  }

  /** See {@link #DEFAULT_CLOSE_TIMEOUT}. */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /** See {@link #DEFAULT_MAX_METERED_MODELS}. */
  public int maxMeteredModels() {
    return maxMeteredModels;
  }

  /** Event times, registry scores and report windows; default the system clock. */
  public InstantSource clock() {
    return clock;
  }

  /**
   * The reporter's scheduler; null (default): the monitor runs its own single daemon thread and
   * shuts it down on close. An injected scheduler is never shut down by the monitor.
   */
  public @Nullable ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /**
   * Where meters go; null (default): a private {@code SimpleMeterRegistry} per monitor. Not the
   * global registry, so two monitors (or tests) never share state; pass the application's
   * Prometheus registry to export them.
   */
  public @Nullable MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** Builder for {@link MonitoringOptions}; not thread-safe. Each setter validates. */
  public static final class Builder {
    private String prefix = DEFAULT_PREFIX;
    private @Nullable String serverId;
    private Duration reportInterval = DEFAULT_REPORT_INTERVAL;
    private @Nullable Duration window;
    private int maxMembersPerKey = DEFAULT_MAX_MEMBERS_PER_KEY;
    private int registryMaxMembers = DEFAULT_REGISTRY_MAX_MEMBERS;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
    private @Nullable URI reportUrl;
    private Scope reportScope = Scope.SERVER;
    private Duration reportTimeout = DEFAULT_REPORT_TIMEOUT;
    private Duration retryBaseDelay = DEFAULT_RETRY_BASE_DELAY;
    private Duration retryMaxDelay = DEFAULT_RETRY_MAX_DELAY;
    private int spoolCapacity = DEFAULT_SPOOL_CAPACITY;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private int maxMeteredModels = DEFAULT_MAX_METERED_MODELS;
    private InstantSource clock = InstantSource.system();
    private @Nullable ScheduledExecutorService scheduler;
    private @Nullable MeterRegistry meterRegistry;

    private Builder() {}

    /** Non-empty, without braces (they would break the keys' hash tag). */
    public Builder prefix(String prefix) {
      Args.notNull(prefix, "prefix");
      if (prefix.isEmpty() || prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
        throw new IllegalArgumentException(
            "prefix must be non-empty and contain no '{' or '}', was '" + prefix + "'");
      }
      this.prefix = prefix;
      return this;
    }

    /**
     * 1–128 characters of {@code [A-Za-z0-9._-]} (it is a hash tag and the part before the first
     * ':' of a registry member); null to generate one.
     */
    public Builder serverId(@Nullable String serverId) {
      this.serverId = serverId == null ? null : MonitorKeys.requireServerId(serverId);
      return this;
    }

    /** Positive, at least 1 ms. */
    public Builder reportInterval(Duration interval) {
      this.reportInterval = Args.positive(interval, "reportInterval");
      return this;
    }

    /** Positive, at least 1 ms; null for twice the report interval. */
    public Builder window(@Nullable Duration window) {
      this.window = window == null ? null : Args.positive(window, "window");
      return this;
    }

    /** At least 1. */
    public Builder maxMembersPerKey(int max) {
      this.maxMembersPerKey = Args.atLeast(max, 1, "maxMembersPerKey");
      return this;
    }

    /** At least 1. */
    public Builder registryMaxMembers(int max) {
      this.registryMaxMembers = Args.atLeast(max, 1, "registryMaxMembers");
      return this;
    }

    /** Between 1 and 16,777,216; never unbounded. */
    public Builder queueCapacity(int capacity) {
      this.queueCapacity = Args.between(capacity, 1, 16_777_216, "queueCapacity");
      return this;
    }

    /** Between 1 and 100,000. */
    public Builder batchSize(int size) {
      this.batchSize = Args.between(size, 1, 100_000, "batchSize");
      return this;
    }

    /** Positive. */
    public Builder flushInterval(Duration interval) {
      this.flushInterval = Args.positive(interval, "flushInterval");
      return this;
    }

    /** An {@code http} or {@code https} URL, or null for no reporter. */
    public Builder reportUrl(@Nullable URI url) {
      if (url != null
          && !"http".equalsIgnoreCase(url.getScheme())
          && !"https".equalsIgnoreCase(url.getScheme())) {
        throw new IllegalArgumentException("reportUrl must be http or https, was " + url);
      }
      this.reportUrl = url;
      return this;
    }

    /** What each report covers. */
    public Builder reportScope(Scope scope) {
      this.reportScope = Args.notNull(scope, "reportScope");
      return this;
    }

    /** Positive. */
    public Builder reportTimeout(Duration timeout) {
      this.reportTimeout = Args.positive(timeout, "reportTimeout");
      return this;
    }

    /** Both positive, max at least base. */
    public Builder retryDelay(Duration base, Duration max) {
      Args.positive(base, "retryBaseDelay");
      Args.positive(max, "retryMaxDelay");
      if (max.compareTo(base) < 0) {
        throw new IllegalArgumentException(
            "retryMaxDelay must be >= retryBaseDelay, was " + max + " < " + base);
      }
      this.retryBaseDelay = base;
      this.retryMaxDelay = max;
      return this;
    }

    /** At least 1. */
    public Builder spoolCapacity(int capacity) {
      this.spoolCapacity = Args.between(capacity, 1, 1_000_000, "spoolCapacity");
      return this;
    }

    /** Zero or more. */
    public Builder closeTimeout(Duration timeout) {
      Args.notNull(timeout, "closeTimeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("closeTimeout must be >= 0, was " + timeout);
      }
      this.closeTimeout = timeout;
      return this;
    }

    /** At least 1. */
    public Builder maxMeteredModels(int max) {
      this.maxMeteredModels = Args.atLeast(max, 1, "maxMeteredModels");
      return this;
    }

    /** See {@link MonitoringOptions#clock()}. */
    public Builder clock(InstantSource clock) {
      this.clock = Args.notNull(clock, "clock");
      return this;
    }

    /** See {@link MonitoringOptions#scheduler()}. */
    public Builder scheduler(@Nullable ScheduledExecutorService scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /** See {@link MonitoringOptions#meterRegistry()}. */
    public Builder meterRegistry(@Nullable MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException if the flush interval is not shorter than the window (a
     *     flush must land before the records it carries have left the window)
     */
    public MonitoringOptions build() {
      Duration w = window != null ? window : reportInterval.multipliedBy(2);
      if (flushInterval.compareTo(w) >= 0) {
        throw new IllegalArgumentException(
            "flushInterval must be shorter than the window, was " + flushInterval + " >= " + w);
      }
      Objects.requireNonNull(clock, "clock");
      return new MonitoringOptions(this);
    }
  }
}
