package io.inferis.testing;

import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that gives a test class real Redis servers.
 *
 * <pre>{@code
 * @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();
 * @RegisterExtension static final RedisFixture<RedisCluster> cluster = RedisFixture.cluster();
 * @RegisterExtension static final RedisFixture<RedisCluster> own = RedisFixture.cluster().dedicated();
 * }</pre>
 *
 * <p><b>Shared</b> (the default): one deployment of each kind per JVM, reused by every test class,
 * flushed before each test, and replaced if a test left it broken. Use it when the test only reads
 * and writes keys. <b>Dedicated</b>: started before the class and killed after it; required for
 * tests that kill, stop, restart or fail over nodes.
 *
 * <p>Server directories (config and log) are deleted when every test that used them passed, and
 * kept under {@code target/redis-harness/servers/} otherwise.
 */
public final class RedisFixture<T extends RedisDeployment>
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(RedisFixture.class);

  private final String kind;
  private final Function<String, T> starter;
  private final boolean dedicated;
  private final RedisSecurity security;
  private Holder<T> holder;

  private RedisFixture(
      String kind, Function<String, T> starter, boolean dedicated, RedisSecurity security) {
    this.kind = kind;
    this.starter = starter;
    this.dedicated = dedicated;
    this.security = security;
  }

  private RedisFixture(String kind, Function<String, T> starter, boolean dedicated) {
    this(kind, starter, dedicated, RedisSecurity.none());
  }

  /** One standalone server. */
  public static RedisFixture<RedisNode> standalone() {
    return new RedisFixture<>("standalone", RedisNode::start, false);
  }

  /** A 3-master / 3-replica cluster. */
  public static RedisFixture<RedisCluster> cluster() {
    return new RedisFixture<>("cluster", RedisCluster::start, false);
  }

  /**
   * One standalone server secured as {@code security} says (password/ACL users, TLS, mutual TLS).
   * TLS fixtures skip their class only when the redis-server binary was built without TLS, and
   * never under {@code CI=true}.
   */
  public static RedisFixture<RedisNode> standalone(RedisSecurity security) {
    return new RedisFixture<>(
        "standalone-" + security.name(), n -> RedisNode.start(n, security), false, security);
  }

  /** A 3-master / 3-replica cluster secured as {@code security} says; see {@link #standalone}. */
  public static RedisFixture<RedisCluster> cluster(RedisSecurity security) {
    return new RedisFixture<>(
        "cluster-" + security.name(), n -> RedisCluster.start(n, security), false, security);
  }

  /** One master, one replica, three sentinels. */
  public static RedisFixture<RedisSentinelGroup> sentinel() {
    return new RedisFixture<>("sentinel", RedisSentinelGroup::start, false);
  }

  /** The same kind of deployment, owned by this test class alone. */
  public RedisFixture<T> dedicated() {
    return new RedisFixture<>(kind, starter, true, security);
  }

  /**
   * A {@link io.inferis.redis.RedisConnector} with default options (plus, for a TLS deployment,
   * trust in the test CA and the client certificate: {@link RedisSecurity#clientOptions}) to this
   * deployment, made on first use and closed with it (a shared deployment's connector is shared
   * too). Tests that need other options connect their own.
   */
  public io.inferis.redis.RedisConnector connector() {
    if (holder == null) {
      throw new IllegalStateException("RedisFixture used outside its test class's lifecycle");
    }
    return holder.connector();
  }

  /** The running deployment; valid from {@code @BeforeAll} to {@code @AfterAll}. */
  public T get() {
    if (holder == null) {
      throw new IllegalStateException("RedisFixture used outside its test class's lifecycle");
    }
    return holder.deployment;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (security.isTls() && !"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(
          RedisBinary.supportsTls(),
          () -> RedisBinary.path() + " was built without TLS; TLS tests need one built with it");
    }
    if (dedicated) {
      holder =
          new Holder<>(starter.apply(kind + "-" + context.getRequiredTestClass().getSimpleName()));
    } else {
      @SuppressWarnings("unchecked")
      Holder<T> shared =
          context
              .getRoot()
              .getStore(NS)
              .computeIfAbsent(
                  kind, k -> new Holder<>(starter.apply("shared-" + kind)), Holder.class);
      holder = shared;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!dedicated && !holder.deployment.isUsable()) {
      holder.replace(starter.apply("shared-" + kind));
    }
    holder.deployment.flushAll();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      holder.keepFiles = true;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      holder.keepFiles = true;
    }
    if (dedicated) {
      holder.close();
    }
  }

  /** Owns one deployment; closing it kills the processes and removes files of passing runs. */
  private static final class Holder<T extends RedisDeployment> implements AutoCloseable {
    volatile T deployment;
    volatile boolean keepFiles;
    private io.inferis.redis.@org.jspecify.annotations.Nullable RedisConnector connector;

    synchronized io.inferis.redis.RedisConnector connector() {
      if (connector == null) {
        connector =
            io.inferis.redis.RedisConnector.connect(
                deployment.uri(),
                deployment
                    .security()
                    .clientOptions(io.inferis.redis.RedisOptions.builder())
                    .build());
      }
      return connector;
    }

    private synchronized void closeConnector() {
      if (connector != null) {
        connector.close();
        connector = null;
      }
    }

    Holder(T deployment) {
      this.deployment = deployment;
    }

    void replace(T fresh) {
      closeConnector();
      T old = deployment;
      deployment = fresh;
      old.close();
      keepFiles = true;
    }

    @Override
    public void close() {
      closeConnector();
      deployment.close();
      if (!keepFiles) {
        deployment.nodes().forEach(RedisNode::deleteFiles);
        if (deployment instanceof RedisSentinelGroup g) {
          g.sentinels().forEach(RedisNode::deleteFiles);
        }
      }
    }
  }
}
