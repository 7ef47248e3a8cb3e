package io.inferis.redis.internal;

import io.inferis.audit.internal.Keyspace;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The audit's {@link Keyspace} on Redis: SCAN (Lettuce walks every master of a cluster in turn),
 * then one pipelined round of PTTL and MEMORY USAGE per page. Blocking; one caller at a time.
 */
final class RedisKeyspace implements Keyspace {

  private final LettuceConnector connector;

  RedisKeyspace(LettuceConnector connector) {
    this.connector = connector;
  }

  @Override
  public void scan(String match, int pageSize, Consumer<List<KeyFacts>> page) {
    RedisClusterAsyncCommands<byte[], byte[]> r = connector.async();
    eachPage(
        match,
        pageSize,
        keys -> {
          List<RedisFuture<Long>> ttls = new ArrayList<>(keys.size());
          List<RedisFuture<Long>> sizes = new ArrayList<>(keys.size());
          for (byte[] key : keys) {
            ttls.add(r.pttl(key));
            sizes.add(r.memoryUsage(key));
          }
          List<KeyFacts> facts = new ArrayList<>(keys.size());
          for (int i = 0; i < keys.size(); i++) {
            Long pttl = await(ttls.get(i));
            Long bytes = await(sizes.get(i));
            if (pttl == null || pttl == -2 || bytes == null) {
              continue; // expired between SCAN and now
            }
            facts.add(new KeyFacts(keys.get(i), pttl, bytes));
          }
          page.accept(facts);
        });
  }

  @Override
  public long expireKeysWithoutTtl(String match, int pageSize, long seconds) {
    RedisClusterAsyncCommands<byte[], byte[]> r = connector.async();
    long[] fixed = {0};
    eachPage(
        match,
        pageSize,
        keys -> {
          List<RedisFuture<Long>> ttls = new ArrayList<>(keys.size());
          for (byte[] key : keys) {
            ttls.add(r.pttl(key));
          }
          List<RedisFuture<Boolean>> set = new ArrayList<>();
          for (int i = 0; i < keys.size(); i++) {
            // Only keys that still have no TTL: a key re-armed meanwhile keeps its own.
            Long pttl = await(ttls.get(i));
            if (pttl != null && pttl == -1) {
              set.add(r.expire(keys.get(i), seconds));
            }
          }
          for (RedisFuture<Boolean> s : set) {
            if (Boolean.TRUE.equals(await(s))) {
              fixed[0]++;
            }
          }
        });
    return fixed[0];
  }

  private void eachPage(String match, int pageSize, Consumer<List<byte[]>> keys) {
    RedisClusterAsyncCommands<byte[], byte[]> r = connector.async();
    ScanArgs args = ScanArgs.Builder.limit(pageSize).match(match.getBytes(StandardCharsets.UTF_8));
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> page = await(r.scan(cursor, args));
      if (!page.getKeys().isEmpty()) {
        keys.accept(page.getKeys());
      }
      cursor = page;
    } while (!cursor.isFinished());
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
