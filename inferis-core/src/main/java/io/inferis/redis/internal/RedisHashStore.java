package io.inferis.features;

import io.inferis.redis.internal.Deadlines;
import io.inferis.redis.internal.LettuceConnector;
import io.inferis.redis.internal.LuaScript;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * Hash operations on Redis over the shared connector: commands are dispatched without waiting for
 * replies, so a request's reads are pipelined (one round trip per node); in a cluster each read
 * goes on the connection to its key's slot's master.
 */
final class RedisHashStore implements HashStore {

  private static final io.lettuce.core.codec.RedisCodec<byte[], byte[]> CODEC =
      LettuceConnector.CODEC;

  private final LettuceConnector connector;

  RedisHashStore(LettuceConnector connector) {
    this.connector = connector;
  }

  @Override
  public CompletableFuture<List<byte @Nullable []>> hmget(byte[] key, List<byte[]> fields) {
    return routed(key, fields, false);
  }

  @Override
  public CompletableFuture<List<byte @Nullable []>> hgetall(byte[] key, List<byte[]> fields) {
    return routed(key, fields, true);
  }

  /**
   * One read, built as {@link #readAll} builds its commands (HMGET values only, no {@code KeyValue}
   * per field). In a cluster it goes, like a request's batch, on the node connection of the slot's
   * master, where it shares the event loop's batched writes ({@link LettuceConnector#send}); with
   * no open connection to that master yet, no known owner, or reads from replicas, Lettuce's
   * routing connection picks the node.
   */
  private CompletableFuture<List<byte @Nullable []>> routed(
      byte[] key, List<byte[]> fields, boolean wholeHash) {
    StatefulRedisClusterConnection<byte[], byte[]> cluster = connector.clusterConnection();
    List<RedisCommand<byte[], byte[], ?>> one = new ArrayList<>(1);
    if (cluster == null) {
      CompletableFuture<List<byte @Nullable []>> values = command(key, fields, wholeHash, one);
      connector.send(connector.connection(), one);
      return values.handle((v, err) -> orThrow(v, err));
    }
    if (!connector.options().readFromReplicas()) {
      RedisClusterNode node = cluster.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
      if (node != null) {
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> conn =
            connectionTo(cluster, node);
        if (isOpen(conn)) {
          CompletableFuture<List<byte @Nullable []>> values =
              redirectable(command(key, fields, wholeHash, one), key, fields, wholeHash);
          connector.send(conn.join(), one);
          return values;
        }
      }
    }
    return routedByLettuce(cluster, key, fields, wholeHash);
  }

  /** The shared connection to {@code node} (Lettuce opens it on first use, asynchronously). */
  private static CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connectionTo(
      StatefulRedisClusterConnection<byte[], byte[]> cluster, RedisClusterNode node) {
    RedisURI uri = node.getUri();
    return cluster.getConnectionAsync(uri.getHost(), uri.getPort());
  }

  private static boolean isOpen(CompletableFuture<StatefulRedisConnection<byte[], byte[]>> conn) {
    return conn.isDone() && !conn.isCompletedExceptionally();
  }

  /**
   * One read through Lettuce's routing connection, which picks the node by slot, opens its
   * connection asynchronously and follows redirects. The single-command dispatch: the routing
   * connection's batch dispatch waits for node connections to open (and would block an event loop).
   */
  private CompletableFuture<List<byte @Nullable []>> routedByLettuce(
      StatefulRedisClusterConnection<byte[], byte[]> cluster,
      byte[] key,
      List<byte[]> fields,
      boolean wholeHash) {
    List<RedisCommand<byte[], byte[], ?>> one = new ArrayList<>(1);
    CompletableFuture<List<byte @Nullable []>> values = command(key, fields, wholeHash, one);
    cluster.dispatch(one.get(0));
    return values.handle((v, err) -> orThrow(v, err));
  }

  /**
   * The answer of a read sent on a node connection, which does not follow redirects: a MOVED/ASK
   * answer (the topology changed meanwhile) asks for a topology refresh and re-sends the read
   * through Lettuce's routing connection.
   */
  private CompletableFuture<List<byte @Nullable []>> redirectable(
      CompletableFuture<List<byte @Nullable []>> values,
      byte[] key,
      List<byte[]> fields,
      boolean wholeHash) {
    return values
        .handle(
            (v, err) -> {
              if (err != null && isRedirect(err)) {
                connector.refreshTopologySoon();
                return routedByLettuce(connector.clusterConnection(), key, fields, wholeHash);
              }
              return CompletableFuture.completedFuture(orThrow(v, err));
            })
        .thenCompose(f -> f);
  }

  /**
   * Every read of a request built as a command first, then written with one {@code dispatch} per
   * node: one Netty write and one socket flush per node, whatever the number of keys. In a cluster
   * the node is the slot's master in the client's current topology, on the same shared connection
   * the routed API uses; a MOVED/ASK answer (the topology changed meanwhile) asks for a topology
   * refresh and re-sends that read through the routed API, which follows redirects. With reads from
   * replicas, Lettuce's routing picks the replica per command.
   */
  @Override
  public List<CompletableFuture<List<byte @Nullable []>>> readAll(List<? extends Read> reads) {
    StatefulRedisClusterConnection<byte[], byte[]> cluster = connector.clusterConnection();
    if (cluster == null) {
      List<RedisCommand<byte[], byte[], ?>> commands = new ArrayList<>(reads.size());
      List<CompletableFuture<List<byte @Nullable []>>> out = new ArrayList<>(reads.size());
      for (Read r : reads) {
        out.add(command(r, commands).handle((v, err) -> orThrow(v, err)));
      }
      connector.send(connector.connection(), commands);
      return out;
    }
    if (connector.options().readFromReplicas()) {
      return HashStore.super.readAll(reads);
    }
    Partitions partitions = cluster.getPartitions();
    Map<RedisClusterNode, List<RedisCommand<byte[], byte[], ?>>> byNode = new LinkedHashMap<>();
    List<CompletableFuture<List<byte @Nullable []>>> out = new ArrayList<>(reads.size());
    for (Read r : reads) {
      RedisClusterNode node = partitions.getPartitionBySlot(SlotHash.getSlot(r.key()));
      if (node == null) {
        // No owner known for the slot (topology changing): let Lettuce route this one.
        out.add(routedByLettuce(cluster, r.key(), r.fields(), r.wholeHash()));
        continue;
      }
      List<RedisCommand<byte[], byte[], ?>> group =
          byNode.computeIfAbsent(node, n -> new ArrayList<>());
      out.add(redirectable(command(r, group), r.key(), r.fields(), r.wholeHash()));
    }
    long deadline = Deadlines.current();
    for (Map.Entry<RedisClusterNode, List<RedisCommand<byte[], byte[], ?>>> e : byNode.entrySet()) {
      List<RedisCommand<byte[], byte[], ?>> group = e.getValue();
      CompletableFuture<StatefulRedisConnection<byte[], byte[]>> conn =
          connectionTo(cluster, e.getKey());
      if (isOpen(conn)) {
        connector.send(conn.join(), group);
      } else {
        // First use of this node: write once its connection is open, with the same deadline.
        conn.whenComplete(
            (c, err) -> {
              if (err != null) {
                group.forEach(cmd -> cmd.completeExceptionally(err));
              } else {
                Deadlines.within(deadline, () -> c.dispatch(group));
              }
            });
      }
    }
    return out;
  }

  /** Builds {@code r}'s HMGET or HGETALL, adds it to {@code batch}, returns its values. */
  private static CompletableFuture<List<byte @Nullable []>> command(
      Read r, List<RedisCommand<byte[], byte[], ?>> batch) {
    return command(r.key(), r.fields(), r.wholeHash(), batch);
  }

  private static CompletableFuture<List<byte @Nullable []>> command(
      byte[] key,
      List<byte[]> fields,
      boolean wholeHash,
      List<RedisCommand<byte[], byte[], ?>> batch) {
    EncodedFields encoded = FieldList.of(fields).prepared(EncodedFields.class, EncodedFields::new);
    // The values alone, nil as null: no KeyValue per field, and of HGETALL no map of the hash.
    AsyncCommand<byte[], byte[], List<byte @Nullable []>> c =
        Deadlines.command(
            wholeHash
                ? new Command<>(
                    CommandType.HGETALL,
                    new PickedOutput(encoded),
                    new CommandArgs<>(CODEC).addKey(key))
                : new Command<>(
                    CommandType.HMGET, new ValueListOutput<>(CODEC), new FieldArgs(key, encoded)));
    batch.add(c);
    return c;
  }

  /**
   * A read's field names as RESP bulk strings, encoded once per request shape (kept on its {@link
   * FieldList}) instead of once per field per command, and each name's positions for picking
   * HGETALL answers.
   */
  static final class EncodedFields {
    final int count;
    final byte[] resp;
    final Map<ByteBuffer, int[]> positions = new HashMap<>();

    EncodedFields(FieldList fields) {
      count = fields.size();
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < count; i++) {
        byte[] f = fields.get(i);
        out.writeBytes(("$" + f.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(f);
        out.writeBytes(new byte[] {'\r', '\n'});
        int position = i;
        positions.merge(
            ByteBuffer.wrap(f),
            new int[] {position},
            (at, one) -> {
              int[] more = Arrays.copyOf(at, at.length + 1);
              more[at.length] = position;
              return more;
            });
      }
      resp = out.toByteArray();
    }
  }

  /** HMGET's arguments: the key, then the request shape's fields, already encoded. */
  private static final class FieldArgs extends CommandArgs<byte[], byte[]> {
    private final EncodedFields fields;

    FieldArgs(byte[] key, EncodedFields fields) {
      super(CODEC);
      addKey(key);
      this.fields = fields;
    }

    @Override
    public int count() {
      return super.count() + fields.count;
    }

    @Override
    public void encode(ByteBuf buf) {
      super.encode(buf);
      buf.writeBytes(fields.resp);
    }

    @Override
    public String toCommandString() {
      return super.toCommandString() + " <" + fields.count + " fields>";
    }
  }

  /**
   * HGETALL's answer as HMGET's would be: the wanted fields' values in order, null where absent.
   * The hash's other fields are skipped as they arrive, so no map of the whole hash is built.
   */
  static final class PickedOutput extends CommandOutput<byte[], byte[], List<byte @Nullable []>> {
    private final EncodedFields fields;
    private final byte[] @Nullable [] values;
    private int @Nullable [] wanted;
    private boolean nextIsName = true;

    PickedOutput(EncodedFields fields) {
      super(CODEC, List.of());
      this.fields = fields;
      this.values = new byte[fields.count][];
      this.output = Arrays.asList(values);
    }

    /**
     * The answer's header (an array in RESP2, a map in RESP3): starts over, so an answer read again
     * after a reconnect does not pair one answer's names with the other's values.
     */
    @Override
    public void multi(int count) {
      nextIsName = true;
      Arrays.fill(values, null);
    }

    @Override
    public void set(@Nullable ByteBuffer bytes) {
      if (nextIsName) {
        wanted = bytes == null ? null : fields.positions.get(bytes);
      } else if (wanted != null && bytes != null) {
        byte[] value = CODEC.decodeValue(bytes);
        for (int i : wanted) {
          values[i] = value;
        }
      }
      nextIsName = !nextIsName;
    }
  }

  private <T> T orThrow(@Nullable T value, @Nullable Throwable err) {
    if (err != null) {
      throw translate(err);
    }
    return value;
  }

  private static boolean isRedirect(Throwable err) {
    Throwable c =
        err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    String m = c instanceof RedisCommandExecutionException ? String.valueOf(c.getMessage()) : "";
    return m.startsWith("MOVED") || m.startsWith("ASK");
  }

  /**
   * ARGV: ttl seconds, then field, value pairs. HSET and EXPIRE in one atomic step, so a writer
   * that dies between the two cannot leave a hash without its TTL. HSET goes in chunks of 1,000
   * pairs: Lua's {@code unpack} is limited to ~8,000 values.
   */
  static final LuaScript HSET_EXPIRE =
      new LuaScript(
          "for i = 2, #ARGV, 2000 do\n"
              + "  redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + 1999, #ARGV)))\n"
              + "end\n"
              + "return redis.call('EXPIRE', KEYS[1], ARGV[1])\n");

  @Override
  public CompletableFuture<Void> hset(List<HashWrite> writes, long ttlSeconds) {
    RedisClusterAsyncCommands<byte[], byte[]> redis = connector.async();
    List<CompletableFuture<?>> acks = new ArrayList<>(writes.size());
    for (HashWrite w : writes) {
      if (ttlSeconds > 0) {
        byte[][] args = new byte[1 + 2 * w.fields().size()][];
        args[0] = Long.toString(ttlSeconds).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < w.fields().size(); i++) {
          args[1 + 2 * i] = w.fields().get(i);
          args[2 + 2 * i] = w.values().get(i);
        }
        acks.add(HSET_EXPIRE.run(redis, ScriptOutputType.INTEGER, new byte[][] {w.key()}, args));
      } else {
        Map<byte[], byte[]> map = new LinkedHashMap<>();
        for (int i = 0; i < w.fields().size(); i++) {
          map.put(w.fields().get(i), w.values().get(i));
        }
        acks.add(redis.hset(w.key(), map).toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]))
        .handle(
            (v, err) -> {
              if (err != null) {
                throw translate(err);
              }
              return null;
            });
  }

  @Override
  public String endpoint() {
    return connector.endpoint();
  }

  @Override
  public void close() {
    // The connector is shared and closed by its owner.
  }

  private RuntimeException translate(Throwable err) {
    return connector.translate(err);
  }
}
