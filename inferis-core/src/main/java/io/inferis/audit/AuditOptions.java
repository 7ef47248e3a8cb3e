package io.inferis.audit;

import java.util.Objects;

/**
 * What a {@link KeyAudit} scans and reports: the keys matching {@link #match()} (SCAN's glob,
 * default {@link #DEFAULT_MATCH}), and the {@link #top()} largest of them (default {@link
 * #DEFAULT_TOP}). Immutable; thread-safe.
 */
public final class AuditOptions {

  /** Every key. */
  public static final String DEFAULT_MATCH = "*";

  /** Largest keys listed: 10. */
  public static final int DEFAULT_TOP = 10;

  /** Most largest keys that can be listed: 10,000. */
  public static final int MAX_TOP = 10_000;

  /** Keys asked for per SCAN page: 1,000. */
  public static final int PAGE_SIZE = 1000;

  private static final AuditOptions DEFAULTS = builder().build();

  private final String match;
  private final int top;

  private AuditOptions(Builder b) {
    this.match = b.match;
    this.top = b.top;
  }

  /** Every default. */
  public static AuditOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** See {@link #DEFAULT_MATCH}. */
  public String match() {
    return match;
  }

  /** See {@link #DEFAULT_TOP}. */
  public int top() {
    return top;
  }

  /** Builder; not thread-safe; each setter validates. */
  public static final class Builder {
    private String match = DEFAULT_MATCH;
    private int top = DEFAULT_TOP;

    private Builder() {}

    /** A non-empty SCAN MATCH pattern. */
    public Builder match(String pattern) {
      Objects.requireNonNull(pattern, "match");
      if (pattern.isEmpty()) {
        throw new IllegalArgumentException("match must not be empty");
      }
      this.match = pattern;
      return this;
    }

    /** 0 to {@link #MAX_TOP}. */
    public Builder top(int top) {
      if (top < 0 || top > MAX_TOP) {
        throw new IllegalArgumentException("top must be 0-" + MAX_TOP + ", was " + top);
      }
      this.top = top;
      return this;
    }

    /** The options. */
    public AuditOptions build() {
      return new AuditOptions(this);
    }
  }
}
