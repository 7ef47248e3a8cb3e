package io.inferis.cache;

import io.inferis.cache.internal.Keys;
import io.inferis.cache.internal.LockWait;
import io.inferis.cache.internal.TokenLock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory {@link Cache}: a {@link ConcurrentHashMap} of entries, each with an absolute expiry
 * on the injected clock. Every read checks expiry (lazy); a sweeper removes expired keys nobody
 * reads, examining at most {@code sweepBatch} keys per run with a cursor that resumes where the
 * last run stopped. The sweeper catches and counts every failure, so it never dies.
 *
 * <p>Window members live in a map from member to score plus a set ordered by (score, member bytes)
 * — never keyed by score, so equal timestamps never overwrite each other. All mutations of a key
 * run inside {@link ConcurrentHashMap#compute}, which makes each operation atomic per key.
 *
 * <p>Over 400 lines because every {@link Cache} operation is here, each a few lines around its
 * atomic {@code compute}; splitting them would scatter the one locking rule they all follow.
 */
final class MemoryCache implements Cache {

  private static final Logger LOG = LoggerFactory.getLogger(MemoryCache.class);
  private static final long NEVER = Long.MAX_VALUE;

  private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();
  private final InstantSource clock;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final int sweepBatch;
  private final ScheduledFuture<?> sweeper;
  private final AtomicLong sweepErrors = new AtomicLong();
  private final AtomicLong sweptKeys = new AtomicLong();
  private @Nullable Iterator<Map.Entry<String, Entry>> cursor; // guarded by this

  MemoryCache(MemoryCacheOptions options) {
    this.clock = options.clock();
    this.sweepBatch = options.sweepBatch();
    ScheduledExecutorService given = options.scheduler();
    this.ownsScheduler = given == null;
    this.scheduler =
        given != null
            ? given
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "inferis-memory-cache-sweeper");
                  t.setDaemon(true);
                  return t;
                });
    long every = options.sweepInterval().toMillis();
    this.sweeper =
        scheduler.scheduleWithFixedDelay(this::sweepSafely, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public Optional<byte[]> get(String key) {
    Entry e = live(Keys.requireKey(key));
    if (e == null) {
      return Optional.empty();
    }
    return Optional.of(asValue(key, e).bytes.clone());
  }

  @Override
  public void set(String key, byte[] value) {
    Keys.requireKey(key);
    Objects.requireNonNull(value, "value");
    map.put(key, new Value(value.clone(), NEVER));
  }

  @Override
  public void set(String key, byte[] value, Duration ttl) {
    Keys.requireKey(key);
    Objects.requireNonNull(value, "value");
    long ttlMillis = requireTtl(ttl);
    map.put(key, new Value(value.clone(), now() + ttlMillis));
  }

  @Override
  public boolean delete(String key) {
    Keys.requireKey(key);
    long now = now();
    Entry removed = map.remove(key);
    return removed != null && !removed.expired(now);
  }

  @Override
  public KeyTtl ttl(String key) {
    long now = now();
    Entry e = live(Keys.requireKey(key), now);
    if (e == null) {
      return KeyTtl.missing();
    }
    return e.expireAt == NEVER ? KeyTtl.persistent() : KeyTtl.expiresIn(e.expireAt - now);
  }

  @Override
  public long append(WindowAppend a) {
    Objects.requireNonNull(a, "append");
    long now = now();
    long[] size = new long[1];
    map.compute(
        a.key(),
        (k, e) -> {
          Window w;
          if (e == null || e.expired(now)) {
            w = new Window();
          } else if (e instanceof Window existing) {
            w = existing;
          } else {
            throw wrongType(k, "a value", "a window");
          }
          synchronized (w) {
            w.add(a.member(), a.eventTimeMillis());
            w.removeBefore(now - a.windowMillis());
            if (a.maxMembers() > 0) {
              w.keepNewest(a.maxMembers());
            }
            size[0] = w.scores.size();
            if (w.scores.isEmpty()) {
              return null;
            }
            w.expireAt = now + a.windowMillis();
          }
          return w;
        });
    return size[0];
  }

  @Override
  public List<Long> appendAll(List<WindowAppend> appends) {
    Objects.requireNonNull(appends, "appends");
    List<Long> sizes = new ArrayList<>(appends.size());
    for (WindowAppend a : appends) {
      sizes.add(append(a));
    }
    return sizes;
  }

  @Override
  public List<ScoredMember> range(String key, long fromMillis, long toMillis) {
    Window w = liveWindow(key);
    if (w == null || fromMillis > toMillis) {
      return List.of();
    }
    synchronized (w) {
      List<ScoredMember> out = new ArrayList<>();
      for (Member m : w.order.tailSet(new Member("", new byte[0], fromMillis), true)) {
        if (m.score > toMillis) {
          break;
        }
        out.add(new ScoredMember(m.member, m.score));
      }
      return out;
    }
  }

  @Override
  public long trim(String key, long beforeMillis) {
    Keys.requireKey(key);
    long now = now();
    long[] removed = new long[1];
    map.computeIfPresent(
        key,
        (k, e) -> {
          if (e.expired(now)) {
            return null;
          }
          if (!(e instanceof Window w)) {
            throw wrongType(k, "a value", "a window");
          }
          synchronized (w) {
            removed[0] = w.removeBefore(beforeMillis);
            return w.scores.isEmpty() ? null : w;
          }
        });
    return removed[0];
  }

  @Override
  public long size(String key) {
    Window w = liveWindow(key);
    if (w == null) {
      return 0;
    }
    synchronized (w) {
      return w.scores.size();
    }
  }

  @Override
  public Optional<Lock> tryLock(String key, Duration ttl, Duration waitTimeout) {
    LockWait.validate(key, ttl, waitTimeout);
    return LockWait.await(waitTimeout, () -> attemptLock(key, ttl.toMillis()));
  }

  private Optional<Lock> attemptLock(String key, long ttlMillis) {
    byte[] token = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
    long now = now();
    Value mine = new Value(token, now + ttlMillis);
    Entry result = map.compute(key, (k, e) -> e == null || e.expired(now) ? mine : e);
    return result == mine
        ? Optional.of(new MemoryLock(key, new String(token, StandardCharsets.UTF_8)))
        : Optional.empty();
  }

  @Override
  public long nowMillis() {
    return now();
  }

  @Override
  public void close() {
    sweeper.cancel(false);
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  /** Failures the sweeper caught (and survived). */
  long sweepErrors() {
    return sweepErrors.get();
  }

  /** Expired keys the sweeper removed. */
  long sweptKeys() {
    return sweptKeys.get();
  }

  /** Keys held, expired or not (what the sweeper bounds). */
  int storedKeys() {
    return map.size();
  }

  void sweepSafely() {
    try {
      sweep();
    } catch (Throwable t) {
      sweepErrors.incrementAndGet();
      LOG.warn("memory cache sweep failed; the next run continues", t);
    }
  }

  /** Examines up to {@code sweepBatch} keys, resuming after the last key examined. */
  synchronized void sweep() {
    long now = now();
    boolean wrapped = false;
    for (int i = 0; i < sweepBatch; i++) {
      if (cursor == null || !cursor.hasNext()) {
        if (wrapped) {
          return;
        }
        cursor = map.entrySet().iterator();
        wrapped = true;
        if (!cursor.hasNext()) {
          return;
        }
      }
      Map.Entry<String, Entry> en = cursor.next();
      if (en.getValue().expired(now) && map.remove(en.getKey(), en.getValue())) {
        sweptKeys.incrementAndGet();
      }
    }
  }

  private long now() {
    return clock.millis();
  }

  private @Nullable Entry live(String key) {
    return live(key, now());
  }

  private @Nullable Entry live(String key, long now) {
    Entry e = map.get(key);
    if (e != null && e.expired(now)) {
      map.remove(key, e);
      return null;
    }
    return e;
  }

  private @Nullable Window liveWindow(String key) {
    Entry e = live(Keys.requireKey(key));
    if (e == null) {
      return null;
    }
    if (e instanceof Window w) {
      return w;
    }
    throw wrongType(key, "a value", "a window");
  }

  private static Value asValue(String key, Entry e) {
    if (e instanceof Value v) {
      return v;
    }
    throw wrongType(key, "a window", "a value");
  }

  private static WrongTypeException wrongType(String key, String holds, String wanted) {
    return new WrongTypeException("key '" + key + "' holds " + holds + ", not " + wanted);
  }

  private static long requireTtl(Duration ttl) {
    return Keys.requireTtlMillis(ttl);
  }

  private final class MemoryLock extends TokenLock {

    MemoryLock(String key, String token) {
      super(key, token);
    }

    @Override
    public boolean release() {
      return ifOwner(null);
    }

    @Override
    public boolean extend(Duration ttl) {
      return ifOwner(requireTtl(ttl));
    }

    /** Compare-and-delete ({@code newTtl} null) or compare-and-expire, atomically. */
    private boolean ifOwner(@Nullable Long newTtl) {
      long now = now();
      byte[] mine = token().getBytes(StandardCharsets.UTF_8);
      boolean[] owned = new boolean[1];
      map.computeIfPresent(
          key(),
          (k, e) -> {
            if (!e.expired(now) && e instanceof Value v && Arrays.equals(v.bytes, mine)) {
              owned[0] = true;
              return newTtl == null ? null : new Value(v.bytes, now + newTtl);
            }
            return e.expired(now) ? null : e;
          });
      return owned[0];
    }
  }

  private abstract static class Entry {
    volatile long expireAt;

    Entry(long expireAt) {
      this.expireAt = expireAt;
    }

    boolean expired(long now) {
      return expireAt <= now;
    }
  }

  private static final class Value extends Entry {
    final byte[] bytes;

    Value(byte[] bytes, long expireAt) {
      super(expireAt);
      this.bytes = bytes;
    }
  }

  /** A window's members; guarded by its own monitor. */
  private static final class Window extends Entry {
    final HashMap<String, Member> scores = new HashMap<>();
    final TreeSet<Member> order = new TreeSet<>(Member.ORDER);

    Window() {
      super(NEVER);
    }

    void add(String member, long score) {
      Member old = scores.remove(member);
      if (old != null) {
        order.remove(old);
      }
      Member m = new Member(member, member.getBytes(StandardCharsets.UTF_8), score);
      scores.put(member, m);
      order.add(m);
    }

    /** Removes members scored strictly before {@code cutoff}; returns how many. */
    long removeBefore(long cutoff) {
      long n = 0;
      while (!order.isEmpty() && order.first().score < cutoff) {
        scores.remove(order.pollFirst().member);
        n++;
      }
      return n;
    }

    void keepNewest(int max) {
      while (order.size() > max) {
        scores.remove(order.pollFirst().member);
      }
    }
  }

  /** A member ordered as Redis orders a sorted set: by score, then by member bytes. */
  private static final class Member {
    static final Comparator<Member> ORDER =
        Comparator.<Member>comparingLong(m -> m.score)
            .thenComparing((a, b) -> Arrays.compareUnsigned(a.bytes, b.bytes));

    final String member;
    final byte[] bytes;
    final long score;

    Member(String member, byte[] bytes, long score) {
      this.member = member;
      this.bytes = bytes;
      this.score = score;
    }
  }
}
