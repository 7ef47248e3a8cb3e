package io.inferis.cache;

/** What every backend's {@link Lock} shares: its key and its owner token. */
abstract class TokenLock implements Lock {

  private final String key;
  private final String token;

  TokenLock(String key, String token) {
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
