package io.inferis.cache;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * The one contract every {@link Cache} backend passes: memory, Redis standalone, Redis cluster.
 * Time passes for real (short TTLs, polled with a deadline), so the same body runs on every
 * backend; the memory backend's fake-clock behaviour is covered in {@code MemoryCacheTest}.
 */
abstract class CacheContract {

  /** The backend under test; empty at the start of each test. */
  protected abstract Cache cache();

  private static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  // ---- values ----

  @Test
  void get_missingKey_isEmptyNotAnError() {
    assertThat(cache().get("nope")).isEmpty();
    assertThat(cache().ttl("nope").isMissing()).isTrue();
    assertThat(cache().delete("nope")).isFalse();
  }

  @Test
  void set_thenGet_returnsTheBytes() {
    cache().set("k", bytes("v1"));
    assertThat(cache().get("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v1")));
    assertThat(cache().ttl("k").isPersistent()).isTrue();
  }

  @Test
  void set_withTtl_expiresAfterIt() {
    cache().set("k", bytes("v"), Duration.ofMillis(300));
    KeyTtl ttl = cache().ttl("k");
    assertThat(ttl.isExpiring()).isTrue();
    assertThat(ttl.remaining()).isLessThanOrEqualTo(Duration.ofMillis(300)).isPositive();
    eventually().until(() -> cache().get("k").isEmpty());
    assertThat(cache().ttl("k").isMissing()).isTrue();
  }

  @Test
  void set_replacesValueAndTtl() {
    cache().set("k", bytes("a"), Duration.ofSeconds(30));
    cache().set("k", bytes("b"));
    assertThat(cache().get("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("b")));
    assertThat(cache().ttl("k").isPersistent()).isTrue();
  }

  @Test
  void delete_removesAndReportsWhetherItExisted() {
    cache().set("k", bytes("v"));
    assertThat(cache().delete("k")).isTrue();
    assertThat(cache().delete("k")).isFalse();
    assertThat(cache().get("k")).isEmpty();
  }

  @Test
  void binaryValues_roundTripExactly() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    cache().set("bin", all);
    assertThat(cache().get("bin")).hasValueSatisfying(v -> assertThat(v).isEqualTo(all));
  }

  @Test
  void invalidArguments_throwNamingTheArgument() {
    Duration w = Duration.ofSeconds(1);
    assertThatThrownBy(() -> cache().get(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key");
    assertThatThrownBy(() -> cache().set("k", bytes("v"), Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl");
    assertThatThrownBy(() -> cache().set("k", bytes("v"), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl");
    assertThatThrownBy(() -> cache().append("", "m", 1, w)).hasMessageContaining("key");
    assertThatThrownBy(() -> cache().append("k", "m", 1, Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window");
    assertThatThrownBy(() -> cache().append("k", "m", 1, w, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxMembers");
    assertThatThrownBy(() -> cache().tryLock("l", Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl");
    assertThatThrownBy(() -> cache().tryLock("l", w, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("waitTimeout");
    // Rejected input stored nothing.
    assertThat(cache().get("k")).isEmpty();
    assertThat(cache().size("k")).isZero();
  }

  @Test
  void wrongType_isATypedError() {
    cache().set("value", bytes("v"));
    cache().append("window", "m", cache().nowMillis(), Duration.ofSeconds(10));
    assertThatThrownBy(() -> cache().append("value", "m", 1, Duration.ofSeconds(1)))
        .isInstanceOf(WrongTypeException.class)
        .hasMessageContaining("value");
    assertThatThrownBy(() -> cache().get("window")).isInstanceOf(WrongTypeException.class);
    assertThat(cache().get("value")).isPresent();
  }

  // ---- windows ----

  @Test
  void append_trimsMembersOlderThanWindow() {
    long now = cache().nowMillis();
    Duration window = Duration.ofSeconds(10);
    assertThat(cache().append("w", "ancient", now - 60_000, window)).isZero();
    assertThat(cache().ttl("w").isMissing())
        .as("an append that leaves nothing leaves no key")
        .isTrue();
    assertThat(cache().append("w", "recent", now - 2_000, window)).isEqualTo(1);
    assertThat(cache().append("w", "current", now, window)).isEqualTo(2);
    assertThat(cache().append("w", "stale", now - 20_000, window)).isEqualTo(2);
    assertThat(cache().range("w", 0, Long.MAX_VALUE))
        .extracting(ScoredMember::member)
        .containsExactly("recent", "current");
  }

  @Test
  void append_trimsAsTimePasses() {
    long t0 = cache().nowMillis();
    Duration window = Duration.ofMillis(400);
    cache().append("w", "first", t0, window);
    eventually().until(() -> cache().nowMillis() > t0 + 400);
    // Store now − window is past t0, so this append trims "first" whether or not the key's TTL
    // (armed a little after t0) has run out yet.
    assertThat(cache().append("w", "second", cache().nowMillis(), window)).isEqualTo(1);
    assertThat(cache().range("w", 0, Long.MAX_VALUE))
        .extracting(ScoredMember::member)
        .containsExactly("second");
  }

  @Test
  void append_capsMemberCount_droppingOldest() {
    long now = cache().nowMillis();
    Duration window = Duration.ofMinutes(1);
    for (int i = 0; i < 10; i++) {
      long size = cache().append("w", "m" + i, now - 1000 + i, window, 3);
      assertThat(size).isEqualTo(Math.min(i + 1, 3));
    }
    assertThat(cache().range("w", 0, Long.MAX_VALUE))
        .extracting(ScoredMember::member)
        .containsExactly("m7", "m8", "m9");
  }

  @Test
  void append_setsKeyTtlToWindow_andSlidesIt() {
    Duration window = Duration.ofMillis(1500);
    cache().append("w", "a", cache().nowMillis(), window);
    KeyTtl first = cache().ttl("w");
    assertThat(first.isExpiring()).isTrue();
    assertThat(first.remaining())
        .isLessThanOrEqualTo(window)
        .isGreaterThan(Duration.ofMillis(1000));
    eventually()
        .until(
            () -> cache().ttl("w").isExpiring() && cache().ttl("w").remaining().toMillis() < 1100);
    cache().append("w", "b", cache().nowMillis(), window);
    assertThat(cache().ttl("w").remaining()).isGreaterThan(Duration.ofMillis(1200));
  }

  @Test
  void window_withoutWrites_expiresAfterWindow() {
    cache().append("w", "a", cache().nowMillis(), Duration.ofMillis(300));
    assertThat(cache().size("w")).isEqualTo(1);
    eventually().until(() -> cache().ttl("w").isMissing());
    assertThat(cache().size("w")).isZero();
    assertThat(cache().range("w", 0, Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void equalScores_neverOverwriteEachOther() {
    long now = cache().nowMillis();
    for (int i = 0; i < 50; i++) {
      cache().append("w", "record-" + i, now, Duration.ofMinutes(1));
    }
    assertThat(cache().size("w")).isEqualTo(50);
  }

  @Test
  void sameMemberAgain_movesItsScoreAndKeepsOneCopy() {
    long now = cache().nowMillis();
    cache().append("w", "m", now - 100, Duration.ofMinutes(1));
    cache().append("w", "m", now, Duration.ofMinutes(1));
    assertThat(cache().range("w", 0, Long.MAX_VALUE)).containsExactly(new ScoredMember("m", now));
  }

  @Test
  void range_isInScoreOrderWithScores_boundsInclusive_tiesByMemberBytes() {
    long now = cache().nowMillis();
    Duration window = Duration.ofMinutes(1);
    cache().append("w", "c", now - 300, window);
    cache().append("w", "b", now - 100, window);
    cache().append("w", "a", now - 200, window);
    cache().append("w", "zz", now - 100, window);
    cache().append("w", "é", now - 100, window);
    cache().append("w", "Z", now - 100, window);
    assertThat(cache().range("w", now - 200, now - 100))
        .containsExactly(
            new ScoredMember("a", now - 200),
            new ScoredMember("Z", now - 100),
            new ScoredMember("b", now - 100),
            new ScoredMember("zz", now - 100),
            new ScoredMember("é", now - 100));
    assertThat(cache().range("w", now - 50, now)).isEmpty();
    assertThat(cache().range("w", now, now - 500)).isEmpty();
    assertThat(cache().range("missing", 0, Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void trim_removesMembersScoredBefore_exclusive() {
    long now = cache().nowMillis();
    Duration window = Duration.ofMinutes(1);
    cache().append("w", "a", now - 300, window);
    cache().append("w", "b", now - 200, window);
    cache().append("w", "c", now - 100, window);
    assertThat(cache().trim("w", now - 200)).isEqualTo(1);
    assertThat(cache().range("w", 0, Long.MAX_VALUE))
        .extracting(ScoredMember::member)
        .containsExactly("b", "c");
    assertThat(cache().trim("w", now)).isEqualTo(2);
    assertThat(cache().ttl("w").isMissing()).isTrue();
    assertThat(cache().trim("missing", now)).isZero();
  }

  @Test
  void appendAll_manyKeys_atomicEach_sizesInOrder() {
    long now = cache().nowMillis();
    Duration window = Duration.ofMinutes(1);
    List<WindowAppend> batch = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      batch.add(WindowAppend.of("key-" + (i % 20), "m" + i, now, window).withMaxMembers(5));
    }
    List<Long> sizes = cache().appendAll(batch);
    assertThat(sizes).hasSize(200);
    for (int i = 0; i < 200; i++) {
      assertThat(sizes.get(i)).isEqualTo(Math.min(i / 20 + 1, 5));
    }
    for (int k = 0; k < 20; k++) {
      assertThat(cache().size("key-" + k)).isEqualTo(5);
      assertThat(cache().ttl("key-" + k).isExpiring()).isTrue();
    }
    assertThat(cache().appendAll(List.of())).isEmpty();
  }

  @Test
  void appendAll_manyToOneKey_isTheSameAsAppendingOneByOne() {
    long now = cache().nowMillis();
    Duration window = Duration.ofMinutes(1);
    cache().append(WindowAppend.of("g", "old", now - 1000, window));
    List<WindowAppend> batch =
        List.of(
            WindowAppend.of("g", "a", now, window).withMaxMembers(3),
            // Re-added with a time before the window: gone, as a single append's trim removes it.
            WindowAppend.of("g", "old", now - 120_000, window).withMaxMembers(3),
            WindowAppend.of("g", "b", now + 1, window).withMaxMembers(3),
            WindowAppend.of("g", "c", now + 2, window).withMaxMembers(3),
            WindowAppend.of("g", "d", now + 3, window).withMaxMembers(3));
    assertThat(cache().appendAll(batch)).containsExactly(2L, 1L, 2L, 3L, 3L);
    assertThat(cache().range("g", 0, Long.MAX_VALUE))
        .extracting(ScoredMember::member)
        .containsExactly("b", "c", "d");
    assertThat(cache().ttl("g").isExpiring()).isTrue();
  }

  // ---- locks ----

  @Test
  void lock_isExclusive_andOnlyTheOwnerReleases() {
    Optional<Lock> a = cache().tryLock("lock", Duration.ofSeconds(30), Duration.ZERO);
    assertThat(a).isPresent();
    assertThat(a.get().key()).isEqualTo("lock");
    assertThat(a.get().token()).isNotBlank();
    assertThat(cache().tryLock("lock", Duration.ofSeconds(30), Duration.ZERO)).isEmpty();
    assertThat(a.get().release()).isTrue();
    assertThat(a.get().release()).as("second release").isFalse();
    Optional<Lock> b = cache().tryLock("lock", Duration.ofSeconds(30), Duration.ZERO);
    assertThat(b).isPresent();
    assertThat(b.get().token()).isNotEqualTo(a.get().token());
  }

  @Test
  void lock_expiredOwnerCannotReleaseOrExtendTheNextOwnersLock() {
    Lock first = cache().tryLock("lock", Duration.ofMillis(200), Duration.ZERO).orElseThrow();
    Lock second =
        cache().tryLock("lock", Duration.ofSeconds(30), Duration.ofSeconds(5)).orElseThrow();
    assertThat(first.release()).isFalse();
    assertThat(first.extend(Duration.ofSeconds(60))).isFalse();
    assertThat(cache().tryLock("lock", Duration.ofSeconds(1), Duration.ZERO)).isEmpty();
    assertThat(second.extend(Duration.ofSeconds(60))).isTrue();
    assertThat(cache().ttl("lock").remaining()).isGreaterThan(Duration.ofSeconds(30));
    assertThat(second.release()).isTrue();
  }

  @Test
  void lock_ofADeadOwner_isFreeAfterItsTtl() {
    // The owner takes the lock and "dies": it never releases.
    cache().tryLock("lock", Duration.ofMillis(300), Duration.ZERO).orElseThrow();
    long start = System.nanoTime();
    Optional<Lock> next = cache().tryLock("lock", Duration.ofSeconds(5), Duration.ofSeconds(5));
    long waitedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(next).isPresent();
    assertThat(waitedMs).isGreaterThanOrEqualTo(100).isLessThan(5000);
  }

  @Test
  void lock_waitIsBoundedByWaitTimeout() {
    cache().tryLock("lock", Duration.ofSeconds(30), Duration.ZERO).orElseThrow();
    long start = System.nanoTime();
    Optional<Lock> none = cache().tryLock("lock", Duration.ofSeconds(1), Duration.ofMillis(300));
    long waitedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(none).isEmpty();
    assertThat(waitedMs).isGreaterThanOrEqualTo(300).isLessThan(3000);
  }
}
