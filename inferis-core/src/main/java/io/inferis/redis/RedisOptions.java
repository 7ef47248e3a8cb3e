package io.inferis.redis;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Immutable options for a connection to Redis (standalone, Sentinel or Cluster). Build with {@link
 * #builder()}, start from {@link #defaults()}, change with {@link #toBuilder()}.
 *
 * <p>Every bound has a default named here: {@link #DEFAULT_COMMAND_TIMEOUT}, {@link
 * #DEFAULT_CONNECT_TIMEOUT}, {@link #DEFAULT_REQUEST_QUEUE_SIZE}, {@link
 * #DEFAULT_RECONNECT_MIN_DELAY}/{@link #DEFAULT_RECONNECT_MAX_DELAY} (full jitter), {@link
 * #DEFAULT_TOPOLOGY_REFRESH_PERIOD}. Thread-safe (immutable).
 *
 * <p><b>Security.</b> TLS is chosen by the URL ({@code rediss://}, {@code rediss-cluster://},
 * {@code rediss-sentinel://}); these options say what to trust ({@link Builder#tlsCaCert}, default
 * the JVM's trust store), which client certificate to present for mutual TLS ({@link
 * Builder#tlsClientCert}) and whether the server's certificate must name the host connected to
 * ({@link Builder#tlsVerifyHostname}, default on). Credentials come from the URL or from {@link
 * Builder#credentials} (for a password kept out of URLs, e.g. read from the environment), never
 * both. No method of this class prints a password.
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
  private final @Nullable Path tlsCaCert;
  private final @Nullable Path tlsClientCert;
  private final @Nullable Path tlsClientKey;
  private final boolean tlsVerifyHostname;
  private final @Nullable String username;
  private final char @Nullable [] password;
  private final @Nullable MeterRegistry meterRegistry;
  private final @Nullable Executor eventLoop;

  private RedisOptions(Builder b) {
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.requestQueueSize = b.requestQueueSize;
    this.reconnectMinDelay = b.reconnectMinDelay;
    this.reconnectMaxDelay = b.reconnectMaxDelay;
    this.topologyRefreshPeriod = b.topologyRefreshPeriod;
    this.keepAlive = b.keepAlive;
    this.readFromReplicas = b.readFromReplicas;
    this.tlsCaCert = b.tlsCaCert;
    this.tlsClientCert = b.tlsClientCert;
    this.tlsClientKey = b.tlsClientKey;
    this.tlsVerifyHostname = b.tlsVerifyHostname;
    this.username = b.username;
    this.password = b.password == null ? null : b.password.clone();
    this.meterRegistry = b.meterRegistry;
    this.eventLoop = b.eventLoop;
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
    b.tlsCaCert = tlsCaCert;
    b.tlsClientCert = tlsClientCert;
    b.tlsClientKey = tlsClientKey;
    b.tlsVerifyHostname = tlsVerifyHostname;
    b.username = username;
    b.password = password == null ? null : password.clone();
    b.meterRegistry = meterRegistry;
    b.eventLoop = eventLoop;
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

  /** PEM file of the certificate authorities to trust for TLS; null: the JVM's trust store. */
  public @Nullable Path tlsCaCert() {
    return tlsCaCert;
  }

  /** PEM client certificate for mutual TLS, or null. */
  public @Nullable Path tlsClientCert() {
    return tlsClientCert;
  }

  /** PEM (PKCS#8) key of {@link #tlsClientCert()}, or null. */
  public @Nullable Path tlsClientKey() {
    return tlsClientKey;
  }

  /**
   * True (the default) when a TLS server's certificate must name the host connected to, as well as
   * chain to a trusted authority; false checks the chain only.
   */
  public boolean tlsVerifyHostname() {
    return tlsVerifyHostname;
  }

  /** True when any TLS material is configured (which then requires a TLS URL). */
  public boolean hasTlsMaterial() {
    return tlsCaCert != null || tlsClientCert != null;
  }

  /** The ACL user of {@link Builder#credentials}, or null (the default user, or none given). */
  public @Nullable String username() {
    return username;
  }

  /**
   * A copy of the password of {@link Builder#credentials}, or null when none was given (the URL may
   * still carry one). The caller should clear the copy after use.
   */
  public char @Nullable [] password() {
    return password == null ? null : password.clone();
  }

  /**
   * Where the connector's meters go: {@code inferis.redis.commands} (command latency per node and
   * command, a histogram), {@code inferis.redis.connections} and {@code inferis.redis.used.memory}
   * per node. Null (the default): none.
   */
  public @Nullable MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /**
   * The event loop of another Netty-based library (an HTTP server's) that the connections run on,
   * one connection per node on that one loop; null (the default): loops of the connector's own. See
   * {@link Builder#eventLoop}.
   */
  public @Nullable Executor eventLoop() {
    return eventLoop;
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
    private @Nullable Path tlsCaCert;
    private @Nullable Path tlsClientCert;
    private @Nullable Path tlsClientKey;
    private boolean tlsVerifyHostname = true;
    private @Nullable String username;
    private char @Nullable [] password;
    private @Nullable MeterRegistry meterRegistry;
    private @Nullable Executor eventLoop;

    private Builder() {}

    /** Must be positive. */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = positive("commandTimeout", timeout);
      return this;
    }

    /** Exports the connector's meters to {@code registry}; null: none. */
    public Builder meterRegistry(@Nullable MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * Runs the connector's connections on {@code loop}, a Netty event loop of another library (a
     * Vert.x context's loop), which the connector never stops: a lookup made on that loop is then
     * written, read and completed on one thread, with no hand-over between threads. The loop must
     * outlive the connector (close the connector first) and must run the transport the process's
     * Redis connections use ({@link NetTransport#ofConnections()}; connecting fails with {@link
     * IllegalArgumentException} otherwise); connect from another thread (connecting on the loop
     * itself fails with {@link IllegalStateException}: it would wait for itself). Null: loops of
     * its own.
     *
     * @throws IllegalArgumentException if {@code loop} is not a Netty event loop
     */
    public Builder eventLoop(@Nullable Executor loop) {
      if (loop != null && !(loop instanceof io.netty.channel.EventLoop)) {
        throw new IllegalArgumentException(
            "eventLoop must be a Netty event loop, was " + loop.getClass().getName());
      }
      this.eventLoop = loop;
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

    /**
     * Trust the certificate authorities in this PEM file for TLS (a private CA), instead of the
     * JVM's trust store; null restores the default.
     *
     * @throws IllegalArgumentException if the file is not readable
     */
    public Builder tlsCaCert(@Nullable Path caCertPem) {
      this.tlsCaCert = caCertPem == null ? null : readable("tlsCaCert", caCertPem);
      return this;
    }

    /**
     * Present this client certificate (PEM) with its unencrypted PKCS#8 PEM key, for servers with
     * {@code tls-auth-clients yes}; both null: no client certificate.
     *
     * @throws IllegalArgumentException if only one is given or a file is not readable
     */
    public Builder tlsClientCert(@Nullable Path certPem, @Nullable Path keyPem) {
      if ((certPem == null) != (keyPem == null)) {
        throw new IllegalArgumentException(
            "tlsClientCert needs both the certificate and its key, was cert="
                + certPem
                + ", key="
                + keyPem);
      }
      this.tlsClientCert = certPem == null ? null : readable("tlsClientCert", certPem);
      this.tlsClientKey = keyPem == null ? null : readable("tlsClientKey", keyPem);
      return this;
    }

    /**
     * Whether a TLS server's certificate must name the host connected to (default true, Lettuce's
     * {@code SslVerifyMode.FULL}). False checks only that it chains to a trusted authority ({@code
     * SslVerifyMode.CA}): weaker, since any certificate that authority issued, for any host, is
     * then accepted. Use it only where the servers' certificates cannot name the addresses clients
     * use.
     */
    public Builder tlsVerifyHostname(boolean verify) {
      this.tlsVerifyHostname = verify;
      return this;
    }

    /**
     * Credentials to authenticate with when the URL carries none: an ACL user (null: the default
     * user, as with {@code requirepass}) and its password. The array is copied; clear yours after.
     * Giving credentials both here and in the URL fails at connect.
     *
     * @throws IllegalArgumentException if the password is empty
     */
    public Builder credentials(@Nullable String user, char[] password) {
      Objects.requireNonNull(password, "password");
      if (password.length == 0) {
        throw new IllegalArgumentException("password must not be empty");
      }
      if (user != null && user.isBlank()) {
        throw new IllegalArgumentException("user must be null or non-blank");
      }
      this.username = user;
      this.password = password.clone();
      return this;
    }

    /** The options. */
    public RedisOptions build() {
      return new RedisOptions(this);
    }

    private static Path readable(String name, Path p) {
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new IllegalArgumentException(name + " must be a readable file, was " + p);
      }
      return p;
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
