package io.inferis.redis.internal;

import static io.inferis.redis.internal.LettuceConnector.CODEC;

import io.inferis.audit.internal.Keyspace;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The audit's {@link Keyspace} on Redis: SCAN on each master (of a cluster: all of them in
 * parallel, each on its own connection), then per page one batch of read-only script calls that
 * answer TYPE, PTTL, MEMORY USAGE, OBJECT IDLETIME and the type's size command (HLEN, ZCARD, ...)
 * for 100 keys each. Blocking; one caller at a time.
 */
final class RedisKeyspace implements Keyspace {

  private final LettuceConnector connector;

  RedisKeyspace(LettuceConnector connector) {
    this.connector = connector;
  }

  @Override
  public void scan(String match, int pageSize, int parallelism, Predicate<List<KeyFacts>> page) {
    List<StatefulRedisConnection<byte[], byte[]>> masters = masters();
    AtomicBoolean stop = new AtomicBoolean();
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
          keys -> serial.accept(facts(masters.get(0), keys)));
      return;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(masters.size(), parallelism == 0 ? 16 : parallelism),
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
                        node, match, pageSize, stop, keys -> serial.accept(facts(node, keys)))));
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

  /** Keys per script call: a call runs ~100 µs on the server, so other clients barely wait. */
  private static final int KEYS_PER_CALL = 100;

  /**
   * What each key named in ARGV is, five values per key: type, PTTL, MEMORY USAGE (-1 if gone),
   * OBJECT IDLETIME (-1 where the eviction policy does not track it) and its element count (-1 for
   * types without one). Read-only; keys come as arguments because a page holds many slots.
   */
  static final String FACTS_BODY =
      "local out = {}\n"
          + "local count = {string = 'STRLEN', hash = 'HLEN', list = 'LLEN', set = 'SCARD',"
          + " zset = 'ZCARD', stream = 'XLEN'}\n"
          + "for _, key in ipairs(ARGV) do\n"
          + "  local t = redis.call('TYPE', key)['ok']\n"
          + "  out[#out + 1] = t\n"
          + "  out[#out + 1] = redis.call('PTTL', key)\n"
          + "  out[#out + 1] = redis.call('MEMORY', 'USAGE', key) or -1\n"
          + "  local ok, idle = pcall(redis.call, 'OBJECT', 'IDLETIME', key)\n"
          + "  out[#out + 1] = ok and idle or -1\n"
          + "  out[#out + 1] = count[t] and redis.call(count[t], key) or -1\n"
          + "end\n"
          + "return out\n";

  /**
   * Redis 7 runs a script that reads keys of several slots, on a cluster node, only when it says so
   * (and a read-only one also on replicas); Redis 6 has no flags and does not check.
   */
  static final String FACTS_7 = "#!lua flags=no-writes,allow-cross-slot-keys\n" + FACTS_BODY;

  /**
   * What each of {@code keys} is: one script call per {@link #KEYS_PER_CALL} keys, every call of
   * the page written as one batch. Five commands per key, one reply per call: asking key by key,
   * the client spent more CPU on replies than Redis on answers, and in a cluster the client was
   * what the masters' scans waited for.
   */
  private List<KeyFacts> facts(StatefulRedisConnection<byte[], byte[]> conn, List<byte[]> keys) {
    String source = scriptFor(conn);
    List<AsyncCommand<byte[], byte[], ?>> calls = new ArrayList<>();
    List<AsyncCommand<byte[], byte[], List<Object>>> replies = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += KEYS_PER_CALL) {
      CommandArgs<byte[], byte[]> args = new CommandArgs<>(CODEC).add(source).add(0);
      for (byte[] key : keys.subList(from, Math.min(keys.size(), from + KEYS_PER_CALL))) {
        args.addValue(key);
      }
      replies.add(add(calls, CommandType.EVAL, new NestedMultiOutput<>(CODEC), args));
    }
    HeldCommands.write(conn, calls);
    List<KeyFacts> facts = new ArrayList<>(keys.size());
    int k = 0;
    for (AsyncCommand<byte[], byte[], List<Object>> reply : replies) {
      List<Object> values = await(reply);
      for (int i = 0; i + 4 < values.size(); i += 5, k++) {
        String type = new String((byte[]) values.get(i), StandardCharsets.US_ASCII);
        long pttl = (Long) values.get(i + 1);
        long bytes = (Long) values.get(i + 2);
        if ("none".equals(type) || pttl == -2 || bytes < 0) {
          continue; // expired between SCAN and now
        }
        facts.add(
            new KeyFacts(
                keys.get(k),
                type,
                pttl,
                bytes,
                (Long) values.get(i + 3),
                (Long) values.get(i + 4)));
      }
    }
    return facts;
  }

  /** The facts script for the node behind {@code conn}, by its version. */
  private String scriptFor(StatefulRedisConnection<byte[], byte[]> conn) {
    return redis7(conn) ? FACTS_7 : FACTS_BODY;
  }

  /** Whether the node behind {@code conn} runs Redis 7 or later (asked once per node). */
  private boolean redis7(StatefulRedisConnection<byte[], byte[]> conn) {
    return redis7.computeIfAbsent(conn, c -> majorVersion(await(c.async().info("server"))) >= 7);
  }

  private final Map<StatefulRedisConnection<byte[], byte[]>, Boolean> redis7 =
      new ConcurrentHashMap<>();

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
        } catch (CompletionException e) {
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
    return expireKeysWithoutTtl(match, pageSize, seconds, this::redis7);
  }

  /** As above, by {@code EXPIRE ... NX} when {@code nx}, else by {@link #EXPIRE_IF_NONE}. */
  long expireKeysWithoutTtl(String match, int pageSize, long seconds, boolean nx) {
    return expireKeysWithoutTtl(match, pageSize, seconds, node -> nx);
  }

  /** As above, by {@code EXPIRE ... NX} on the nodes {@code nx} says, else by the script. */
  private long expireKeysWithoutTtl(
      String match,
      int pageSize,
      long seconds,
      Predicate<StatefulRedisConnection<byte[], byte[]>> nx) {
    long fixed = 0;
    for (StatefulRedisConnection<byte[], byte[]> node : masters()) {
      long[] n = {0};
      eachPage(
          node,
          match,
          pageSize,
          new AtomicBoolean(),
          keys -> n[0] += expire(node, keys, seconds, nx.test(node)));
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
    return (int) InfoFields.number(info, "redis_version", 0);
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
