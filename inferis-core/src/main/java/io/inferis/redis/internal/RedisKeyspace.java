package io.inferis.redis.internal;

import static io.inferis.redis.internal.LettuceConnector.CODEC;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.inferis.audit.internal.Keyspace;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The audit's {@link Keyspace} on Redis: SCAN on each master (of a cluster: all of them in
 * parallel, each on its own connection), then per page one pipelined round of TYPE, PTTL, MEMORY
 * USAGE and OBJECT IDLETIME, and one of the type's size command (HLEN, ZCARD, ...). Blocking; one
 * caller at a time.
 */
final class RedisKeyspace implements Keyspace {

  private final LettuceConnector connector;

  RedisKeyspace(LettuceConnector connector) {
    this.connector = connector;
  }

  @Override
  public void scan(String match, int pageSize, Predicate<List<KeyFacts>> page) {
    List<StatefulRedisConnection<byte[], byte[]>> masters = masters();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean idleTracked = new AtomicBoolean(true);
    Consumer<List<KeyFacts>> serial =
        facts -> {
          synchronized (stop) {
            if (!stop.get() && !page.test(facts)) {
              stop.set(true);
            }
          }
        };
    if (masters.size() == 1) {
      eachPage(
          masters.get(0),
          match,
          pageSize,
          stop,
          keys -> serial.accept(facts(masters.get(0), keys, idleTracked)));
      return;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(masters.size(), 16),
            task -> {
              Thread t = new Thread(task, "inferis-audit-scan");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> scans = new ArrayList<>();
      for (StatefulRedisConnection<byte[], byte[]> node : masters) {
        scans.add(
            pool.submit(
                () ->
                    eachPage(
                        node,
                        match,
                        pageSize,
                        stop,
                        keys -> serial.accept(facts(node, keys, idleTracked)))));
      }
      for (Future<?> scan : scans) {
        try {
          scan.get();
        } catch (ExecutionException e) {
          stop.set(true);
          throw e.getCause() instanceof RuntimeException r ? r : connector.translate(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw connector.translate(e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Calls {@code keys} with each SCAN page of {@code conn}'s node until done or {@code stop}. */
  private void eachPage(
      StatefulRedisConnection<byte[], byte[]> conn,
      String match,
      int pageSize,
      AtomicBoolean stop,
      Consumer<List<byte[]>> keys) {
    ScanArgs args = ScanArgs.Builder.limit(pageSize).match(match.getBytes(StandardCharsets.UTF_8));
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> found = await(conn.async().scan(cursor, args));
      if (!found.getKeys().isEmpty()) {
        keys.accept(found.getKeys());
      }
      cursor = found;
    } while (!cursor.isFinished() && !stop.get());
  }

  /**
   * What each of {@code keys} is: two pipelined rounds on the node that holds them, each written as
   * one batch (the async API would write and flush every command on its own: 5 writes per key).
   */
  private List<KeyFacts> facts(
      StatefulRedisConnection<byte[], byte[]> conn, List<byte[]> keys, AtomicBoolean idleTracked) {
    int n = keys.size();
    boolean idle = idleTracked.get();
    List<AsyncCommand<byte[], byte[], ?>> round = new ArrayList<>(n * 4);
    List<AsyncCommand<byte[], byte[], String>> types = new ArrayList<>(n);
    List<AsyncCommand<byte[], byte[], Long>> ttls = new ArrayList<>(n);
    List<AsyncCommand<byte[], byte[], Long>> sizes = new ArrayList<>(n);
    List<AsyncCommand<byte[], byte[], Long>> idles = new ArrayList<>(idle ? n : 0);
    for (byte[] key : keys) {
      types.add(
          add(
              round,
              CommandType.TYPE,
              new StatusOutput<>(CODEC),
              new CommandArgs<>(CODEC).addKey(key)));
      ttls.add(add(round, CommandType.PTTL, new IntegerOutput<>(CODEC), args(key)));
      sizes.add(
          add(
              round,
              CommandType.MEMORY,
              new IntegerOutput<>(CODEC),
              new CommandArgs<>(CODEC).add("USAGE").addKey(key)));
      if (idle) {
        idles.add(
            add(
                round,
                CommandType.OBJECT,
                new IntegerOutput<>(CODEC),
                new CommandArgs<>(CODEC).add("IDLETIME").addKey(key)));
      }
    }
    HeldCommands.write(conn, round);
    List<AsyncCommand<byte[], byte[], ?>> counts = new ArrayList<>(n);
    List<@Nullable AsyncCommand<byte[], byte[], Long>> members = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      @Nullable CommandType count = countCommand(await(types.get(i)));
      members.add(
          count == null ? null : add(counts, count, new IntegerOutput<>(CODEC), args(keys.get(i))));
    }
    if (!counts.isEmpty()) {
      HeldCommands.write(conn, counts);
    }
    List<KeyFacts> facts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String type = await(types.get(i));
      Long pttl = await(ttls.get(i));
      Long bytes = await(sizes.get(i));
      long idleSeconds = idle ? idleSeconds(idles.get(i), idleTracked) : -1;
      AsyncCommand<byte[], byte[], Long> count = members.get(i);
      Long memberCount = count == null ? null : await(count);
      if ("none".equals(type) || pttl == null || pttl == -2 || bytes == null) {
        continue; // expired between SCAN and now
      }
      facts.add(
          new KeyFacts(
              keys.get(i), type, pttl, bytes, idleSeconds, memberCount == null ? -1 : memberCount));
    }
    return facts;
  }

  private static CommandArgs<byte[], byte[]> args(byte[] key) {
    return new CommandArgs<>(CODEC).addKey(key);
  }

  private static <T> AsyncCommand<byte[], byte[], T> add(
      List<AsyncCommand<byte[], byte[], ?>> batch,
      CommandType type,
      CommandOutput<byte[], byte[], T> output,
      CommandArgs<byte[], byte[]> args) {
    AsyncCommand<byte[], byte[], T> c = new AsyncCommand<>(new Command<>(type, output, args));
    batch.add(c);
    return c;
  }

  /** The command that counts a {@code type}'s elements (a string's bytes), or null for others. */
  private static @Nullable CommandType countCommand(String type) {
    return switch (type) {
      case "string" -> CommandType.STRLEN;
      case "hash" -> CommandType.HLEN;
      case "list" -> CommandType.LLEN;
      case "set" -> CommandType.SCARD;
      case "zset" -> CommandType.ZCARD;
      case "stream" -> CommandType.XLEN;
      default -> null;
    };
  }

  /**
   * OBJECT IDLETIME's answer, or -1 once the server says it does not track idle time (an LFU
   * eviction policy), after which it is not asked again.
   */
  private long idleSeconds(Future<Long> idle, AtomicBoolean idleTracked) {
    try {
      Long seconds = idle.get(connector.options().commandTimeout().toMillis() + 1000, MILLISECONDS);
      return seconds == null ? -1 : seconds;
    } catch (ExecutionException e) {
      String message = String.valueOf(e.getCause().getMessage());
      if (message.contains("LFU")) {
        idleTracked.set(false);
        return -1;
      }
      throw connector.translate(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw connector.translate(e);
    } catch (TimeoutException e) {
      throw connector.translate(e);
    }
  }

  /** The shared connection to each master: the connection itself when standalone. */
  private List<StatefulRedisConnection<byte[], byte[]>> masters() {
    StatefulRedisClusterConnection<byte[], byte[]> cluster = connector.clusterConnection();
    if (cluster == null) {
      return List.of(Objects.requireNonNull(connector.connection(), "connection"));
    }
    List<StatefulRedisConnection<byte[], byte[]>> out = new ArrayList<>();
    for (RedisClusterNode node : cluster.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        try {
          out.add(CommandRouter.connectionTo(cluster, node).join());
        } catch (java.util.concurrent.CompletionException e) {
          throw connector.translate(e.getCause() != null ? e.getCause() : e);
        }
      }
    }
    return out;
  }

  @Override
  public long size() {
    long keys = 0;
    for (StatefulRedisConnection<byte[], byte[]> node : masters()) {
      Long n = await(node.async().dbsize());
      keys += n == null ? 0 : n;
    }
    return keys;
  }

  /**
   * Redis before 7.0 has no {@code EXPIRE ... NX}: the same check-and-set as one script, so a key
   * given a TTL between the scan and this write (a writer, a concurrent or earlier audit) keeps it.
   */
  private static final String EXPIRE_IF_NONE =
      "if redis.call('PTTL', KEYS[1]) == -1 then"
          + " return redis.call('EXPIRE', KEYS[1], ARGV[1]) else return 0 end";

  @Override
  public long expireKeysWithoutTtl(String match, int pageSize, long seconds) {
    return expireKeysWithoutTtl(
        match, pageSize, seconds, majorVersion(await(connector.async().info("server"))) >= 7);
  }

  /** As above, by {@code EXPIRE ... NX} when {@code nx}, else by {@link #EXPIRE_IF_NONE}. */
  long expireKeysWithoutTtl(String match, int pageSize, long seconds, boolean nx) {
    long fixed = 0;
    for (StatefulRedisConnection<byte[], byte[]> node : masters()) {
      long[] n = {0};
      eachPage(
          node,
          match,
          pageSize,
          new AtomicBoolean(),
          keys -> n[0] += expire(node, keys, seconds, nx));
      fixed += n[0];
    }
    return fixed;
  }

  /**
   * Gives the keys of one page without a TTL one: a batch of PTTL, then a batch of checked writes
   * for the keys seen without one (the write itself checks again). Returns how many got one.
   */
  private long expire(
      StatefulRedisConnection<byte[], byte[]> conn, List<byte[]> keys, long seconds, boolean nx) {
    List<AsyncCommand<byte[], byte[], ?>> round = new ArrayList<>(keys.size());
    List<AsyncCommand<byte[], byte[], Long>> ttls = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      ttls.add(add(round, CommandType.PTTL, new IntegerOutput<>(CODEC), args(key)));
    }
    HeldCommands.write(conn, round);
    List<AsyncCommand<byte[], byte[], ?>> writes = new ArrayList<>();
    List<AsyncCommand<byte[], byte[], Long>> set = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      Long pttl = await(ttls.get(i));
      if (pttl != null && pttl == -1) {
        byte[] key = keys.get(i);
        set.add(
            nx
                ? add(
                    writes,
                    CommandType.EXPIRE,
                    new IntegerOutput<>(CODEC),
                    args(key).add(seconds).add("NX"))
                : add(
                    writes,
                    CommandType.EVAL,
                    new IntegerOutput<>(CODEC),
                    new CommandArgs<>(CODEC).add(EXPIRE_IF_NONE).add(1).addKey(key).add(seconds)));
      }
    }
    if (writes.isEmpty()) {
      return 0;
    }
    HeldCommands.write(conn, writes);
    long fixed = 0;
    for (AsyncCommand<byte[], byte[], Long> s : set) {
      if (Long.valueOf(1).equals(await(s))) {
        fixed++;
      }
    }
    return fixed;
  }

  /** The major version in an {@code INFO server} answer; 0 if it says none. */
  static int majorVersion(String info) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("redis_version:")) {
        String v = line.substring("redis_version:".length()).trim();
        int dot = v.indexOf('.');
        try {
          return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  /** The answer, or the typed failure; the margin over the command timeout only guards a hang. */
  private <T> T await(Future<T> f) {
    Duration timeout = connector.options().commandTimeout();
    try {
      return f.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw connector.translate(e);
    } catch (ExecutionException | TimeoutException e) {
      throw connector.translate(e);
    }
  }

  @Override
  public String endpoint() {
    return connector.endpoint();
  }
}
