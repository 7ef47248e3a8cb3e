package io.inferis.redis.internal;

import io.inferis.Ticker;
import io.inferis.features.internal.HashStore;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The feature store's {@link HashStore} on Redis: reads are built as HMGET or HGETALL commands that
 * carry the request's deadline, and go out through the connector's {@link CommandRouter} (one batch
 * per node); writes are one HSET + EXPIRE script per key. Field names are encoded as RESP once per
 * request shape ({@link EncodedFields}, this store's {@link HashStore.Fields}). Thread-safe.
 */
final class RedisHashStore implements HashStore {

  private static final RedisCodec<byte[], byte[]> CODEC = LettuceConnector.CODEC;

  private final LettuceConnector connector;
  private final CommandRouter router;
  private final Ticker ticker;

  RedisHashStore(LettuceConnector connector, Ticker ticker) {
    this.connector = connector;
    this.router = connector.router();
    this.ticker = ticker;
  }

  @Override
  public Fields prepare(List<byte[]> names) {
    return new EncodedFields(names);
  }

  @Override
  public CompletableFuture<List<byte @Nullable []>> read(Read read, long deadlineNanos) {
    return router.send(new HashRead(read, deadlineNanos));
  }

  @Override
  public List<CompletableFuture<List<byte @Nullable []>>> readAll(
      List<? extends Read> reads, long deadlineNanos) {
    List<HashRead> commands = new ArrayList<>(reads.size());
    for (Read r : reads) {
      commands.add(new HashRead(r, deadlineNanos));
    }
    return router.sendAll(commands);
  }

  /** One read as a command: HMGET of the fields, or HGETALL picked down to them. */
  private final class HashRead implements CommandRouter.Keyed<List<byte @Nullable []>> {
    private final byte[] key;
    private final EncodedFields fields;
    private final boolean wholeHash;
    private final long deadlineNanos;

    HashRead(Read read, long deadlineNanos) {
      this.key = read.key();
      this.fields = EncodedFields.of(read.fields());
      this.wholeHash = read.wholeHash();
      this.deadlineNanos = deadlineNanos;
    }

    @Override
    public byte[] key() {
      return key;
    }

    /** The values alone, nil as null: no KeyValue per field, and of HGETALL no map of the hash. */
    @Override
    public AsyncCommand<byte[], byte[], List<byte @Nullable []>> newCommand() {
      Command<byte[], byte[], List<byte @Nullable []>> c =
          wholeHash
              ? new Command<>(
                  CommandType.HGETALL,
                  new PickedOutput(fields),
                  new CommandArgs<>(CODEC).addKey(key))
              : new Command<>(
                  CommandType.HMGET, new ValueListOutput<>(CODEC), new FieldArgs(key, fields));
      return Deadlines.command(c, deadlineNanos, ticker);
    }
  }

  /**
   * A read shape's field names as RESP bulk strings, encoded once instead of once per field per
   * command, and each name's positions for picking HGETALL answers.
   */
  static final class EncodedFields implements Fields {
    final List<byte[]> names;
    final int count;
    final byte[] resp;
    final Map<ByteBuffer, int[]> positions = new HashMap<>();

    EncodedFields(List<byte[]> names) {
      this.names = List.copyOf(names);
      this.count = names.size();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 0; i < count; i++) {
        byte[] f = names.get(i);
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

    /** {@code fields} itself when this store prepared it, else its names encoded now. */
    static EncodedFields of(Fields fields) {
      return fields instanceof EncodedFields e ? e : new EncodedFields(fields.names());
    }

    @Override
    public List<byte[]> names() {
      return names;
    }
  }

  /** HMGET's arguments: the key, then the read shape's fields, already encoded. */
  static final class FieldArgs extends CommandArgs<byte[], byte[]> {
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

  /**
   * KEYS[1] the hash; ARGV: ttl seconds, then field, value pairs. HSET and EXPIRE in one atomic
   * step, so a writer that dies between the two cannot leave a hash without its TTL. HSET goes in
   * chunks of 1,000 pairs: Lua's {@code unpack} is limited to ~8,000 values.
   */
  static final LuaScript HSET_EXPIRE =
      new LuaScript(
          "for i = 2, #ARGV, 2000 do\n"
              + "  redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + 1999, #ARGV)))\n"
              + "end\n"
              + "return redis.call('EXPIRE', KEYS[1], ARGV[1])\n");

  @Override
  public CompletableFuture<Void> write(
      List<HashWrite> writes, long ttlSeconds, long deadlineNanos) {
    List<CompletableFuture<?>> acks = new ArrayList<>(writes.size());
    for (HashWrite w : writes) {
      if (ttlSeconds > 0) {
        byte[][] args = new byte[1 + 2 * w.fields().size()][];
        args[0] = Long.toString(ttlSeconds).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < w.fields().size(); i++) {
          args[1 + 2 * i] = w.fields().get(i);
          args[2 + 2 * i] = w.values().get(i);
        }
        acks.add(HSET_EXPIRE.runInteger(router, w.key(), args, deadlineNanos, ticker));
      } else {
        acks.add(router.send(new Hset(w, deadlineNanos)));
      }
    }
    return CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]));
  }

  /** HSET of a key's fields, for stores that set no key TTL. */
  private final class Hset implements CommandRouter.Keyed<Long> {
    private final HashWrite write;
    private final long deadlineNanos;

    Hset(HashWrite write, long deadlineNanos) {
      this.write = write;
      this.deadlineNanos = deadlineNanos;
    }

    @Override
    public byte[] key() {
      return write.key();
    }

    @Override
    public AsyncCommand<byte[], byte[], Long> newCommand() {
      CommandArgs<byte[], byte[]> args = new CommandArgs<>(CODEC).addKey(write.key());
      for (int i = 0; i < write.fields().size(); i++) {
        args.addValue(write.fields().get(i)).addValue(write.values().get(i));
      }
      return Deadlines.command(
          new Command<>(CommandType.HSET, new IntegerOutput<>(CODEC), args), deadlineNanos, ticker);
    }
  }

  @Override
  public String endpoint() {
    return connector.endpoint();
  }

  @Override
  public void close() {
    // The connector is shared and closed by its owner.
  }
}
