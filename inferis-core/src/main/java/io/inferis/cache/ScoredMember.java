package io.inferis.cache;

import java.util.Objects;

/** A window member with its score (event time, epoch milliseconds). Immutable value. */
public final class ScoredMember {

  private final String member;
  private final long scoreMillis;

  /** A member and its score. */
  public ScoredMember(String member, long scoreMillis) {
    this.member = Objects.requireNonNull(member, "member");
    this.scoreMillis = scoreMillis;
  }

  /** The member. */
  public String member() {
    return member;
  }

  /** The score in epoch milliseconds. */
  public long scoreMillis() {
    return scoreMillis;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScoredMember m && m.scoreMillis == scoreMillis && m.member.equals(member);
  }

  @Override
  public int hashCode() {
    return Objects.hash(member, scoreMillis);
  }

  @Override
  public String toString() {
    return member + "@" + scoreMillis;
  }
}
