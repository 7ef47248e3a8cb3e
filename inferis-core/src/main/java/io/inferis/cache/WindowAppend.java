package io.inferis.cache;

import io.inferis.cache.internal.Keys;
import java.time.Duration;
import java.util.Objects;

/**
 * One append to a time window: key, member, event time, window, optional member cap. Immutable;
 * validated on construction.
 */
public final class WindowAppend {

  /** No member cap (only the window bounds the set). */
  public static final int NO_MAX_MEMBERS = 0;

  private final String key;
  private final String member;
  private final long eventTimeMillis;
  private final long windowMillis;
  private final int maxMembers;

  private WindowAppend(
      String key, String member, long eventTimeMillis, long windowMillis, int maxMembers) {
    this.key = key;
    this.member = member;
    this.eventTimeMillis = eventTimeMillis;
    this.windowMillis = windowMillis;
    this.maxMembers = maxMembers;
  }

  /**
   * An append without a member cap.
   *
   * @throws IllegalArgumentException if the key or member is empty, the event time negative, or the
   *     window not positive (millisecond precision, at least 1 ms)
   */
  public static WindowAppend of(String key, String member, long eventTimeMillis, Duration window) {
    Keys.requireKey(key);
    Objects.requireNonNull(member, "member");
    if (member.isEmpty()) {
      throw new IllegalArgumentException("member must not be empty");
    }
    if (eventTimeMillis < 0) {
      throw new IllegalArgumentException("eventTime must be >= 0, was " + eventTimeMillis);
    }
    Objects.requireNonNull(window, "window");
    if (window.toMillis() < 1) {
      throw new IllegalArgumentException("window must be at least 1 ms, was " + window);
    }
    return new WindowAppend(key, member, eventTimeMillis, window.toMillis(), NO_MAX_MEMBERS);
  }

  /**
   * The same append with a member cap: the oldest members beyond {@code maxMembers} are dropped.
   *
   * @throws IllegalArgumentException if {@code maxMembers < 1}
   */
  public WindowAppend withMaxMembers(int maxMembers) {
    if (maxMembers < 1) {
      throw new IllegalArgumentException("maxMembers must be >= 1, was " + maxMembers);
    }
    return new WindowAppend(key, member, eventTimeMillis, windowMillis, maxMembers);
  }

  /** The window key. */
  public String key() {
    return key;
  }

  /** The member; members are distinct by value, so equal scores never overwrite each other. */
  public String member() {
    return member;
  }

  /** The member's score: event time in epoch milliseconds. */
  public long eventTimeMillis() {
    return eventTimeMillis;
  }

  /** Window length in milliseconds; also the key's TTL after the append. */
  public long windowMillis() {
    return windowMillis;
  }

  /** Member cap, or {@link #NO_MAX_MEMBERS}. */
  public int maxMembers() {
    return maxMembers;
  }

  @Override
  public String toString() {
    return "WindowAppend["
        + key
        + ", t="
        + eventTimeMillis
        + ", window="
        + windowMillis
        + "ms"
        + (maxMembers > 0 ? ", max=" + maxMembers : "")
        + "]";
  }
}
