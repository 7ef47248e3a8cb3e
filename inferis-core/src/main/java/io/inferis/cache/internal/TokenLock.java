package io.inferis.cache.internal;

import io.inferis.cache.Lock;

/** What every backend's {@link Lock} shares: its key and its owner token. */
public abstract class TokenLock implements Lock {

  private final String key;
  private final String token;

  protected TokenLock(String key, String token) {
    this.key = key;
    this.token = token;
  }

  @Override
  public final String key() {
    return key;
  }

  @Override
  public final String token() {
    return token;
  }
}
