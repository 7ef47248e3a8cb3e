package io.inferis.audit;

import java.util.Objects;

/**
 * What a {@link KeyAudit} scans and how it groups what it finds: the keys matching {@link #match()}
 * (SCAN's glob), grouped by prefix (the first {@link #depth()} parts of a name split at {@link
 * #delimiter()}, at most {@link #maxPrefixes()} groups and one for the rest), the {@link #top()}
 * largest listed, and all of them or a {@link #sample()}. Immutable; thread-safe.
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

  /** Prefix groups kept: 1,000; keys of any further prefix go to {@link AuditReport#OTHER}. */
  public static final int DEFAULT_MAX_PREFIXES = 1000;

  /** Most prefix groups that can be kept: 100,000. */
  public static final int MAX_PREFIXES = 100_000;

  private static final AuditOptions DEFAULTS = builder().build();

  private final String match;
  private final int top;
  private final String delimiter;
  private final int depth;
  private final int maxPrefixes;
  private final long sample;
  private final int parallelism;

  private AuditOptions(Builder b) {
    this.match = b.match;
    this.top = b.top;
    this.delimiter = b.delimiter;
    this.depth = b.depth;
    this.maxPrefixes = b.maxPrefixes;
    this.sample = b.sample;
    this.parallelism = b.parallelism;
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

  /** What splits a key name into parts for its prefix; default {@code ":"}. */
  public String delimiter() {
    return delimiter;
  }

  /** How many parts make a prefix; default 1 ({@code inferis:*}). */
  public int depth() {
    return depth;
  }

  /** See {@link #DEFAULT_MAX_PREFIXES}. */
  public int maxPrefixes() {
    return maxPrefixes;
  }

  /** Keys to scan before stopping and estimating the whole; 0 (the default) scans every key. */
  public long sample() {
    return sample;
  }

  /**
   * Masters of a cluster scanned at once: 0 (the default) for all of them, 1 for one after another
   * (the least load on the cluster at any moment).
   */
  public int parallelism() {
    return parallelism;
  }

  /** Builder; not thread-safe; each setter validates. */
  public static final class Builder {
    private String match = DEFAULT_MATCH;
    private int top = DEFAULT_TOP;
    private String delimiter = ":";
    private int depth = 1;
    private int maxPrefixes = DEFAULT_MAX_PREFIXES;
    private long sample;
    private int parallelism;

    private Builder() {}

    /**
     * Every key that starts with {@code prefix}, taken literally: SCAN's glob characters in it
     * ({@code * ? [ ] \}) are escaped.
     */
    public Builder matchPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      StringBuilder b = new StringBuilder(prefix.length() + 1);
      for (char c : prefix.toCharArray()) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
          b.append('\\');
        }
        b.append(c);
      }
      return match(b.append('*').toString());
    }

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

    /** A non-empty delimiter. */
    public Builder delimiter(String delimiter) {
      Objects.requireNonNull(delimiter, "delimiter");
      if (delimiter.isEmpty()) {
        throw new IllegalArgumentException("delimiter must not be empty");
      }
      this.delimiter = delimiter;
      return this;
    }

    /** 1 to 16 parts. */
    public Builder depth(int depth) {
      if (depth < 1 || depth > 16) {
        throw new IllegalArgumentException("depth must be 1-16, was " + depth);
      }
      this.depth = depth;
      return this;
    }

    /** 1 to {@link #MAX_PREFIXES}. */
    public Builder maxPrefixes(int maxPrefixes) {
      if (maxPrefixes < 1 || maxPrefixes > MAX_PREFIXES) {
        throw new IllegalArgumentException(
            "max-prefixes must be 1-" + MAX_PREFIXES + ", was " + maxPrefixes);
      }
      this.maxPrefixes = maxPrefixes;
      return this;
    }

    /** 0 for every key, else at least 1,000 keys. */
    public Builder sample(long keys) {
      if (keys != 0 && keys < 1000) {
        throw new IllegalArgumentException("sample must be 0 (every key) or at least 1000");
      }
      this.sample = keys;
      return this;
    }

    /** 0 for every master at once, else at most this many at a time. */
    public Builder parallelism(int masters) {
      if (masters < 0) {
        throw new IllegalArgumentException(
            "parallel must be 0 (every master) or more, was " + masters);
      }
      this.parallelism = masters;
      return this;
    }

    /** The options. */
    public AuditOptions build() {
      return new AuditOptions(this);
    }
  }
}
