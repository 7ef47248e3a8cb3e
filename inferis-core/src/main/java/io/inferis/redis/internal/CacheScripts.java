package io.inferis.redis.internal;

/**
 * The Lua scripts of the Redis cache. Each touches exactly one key (KEYS[1]), so each is atomic and
 * valid in a cluster. Redis 5+ replicates scripts by their effects, so reading {@code TIME} before
 * writing is allowed (tested on 6.2 and 7.0).
 */
enum CacheScripts {

  /**
   * ARGV: member, score (ms), window (ms), maxMembers (0 = none). Adds the member, removes members
   * scored before (server now − window), keeps the newest maxMembers, re-arms the TTL to the
   * window. Returns ZCARD after the append.
   */
  APPEND(
      "local key = KEYS[1]\n"
          + "local t = redis.call('TIME')\n"
          + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
          + "local window = tonumber(ARGV[3])\n"
          + "local cap = tonumber(ARGV[4])\n"
          + "redis.call('ZADD', key, ARGV[2], ARGV[1])\n"
          + "redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('(%d', now - window))\n"
          + "local n = redis.call('ZCARD', key)\n"
          + "if cap > 0 and n > cap then\n"
          + "  redis.call('ZREMRANGEBYRANK', key, 0, n - cap - 1)\n"
          + "  n = cap\n"
          + "end\n"
          + "if n > 0 then redis.call('PEXPIRE', key, window) end\n"
          + "return n\n"),

  /**
   * ARGV: window (ms), maxMembers (0 = none), then score (ms) and member for each append, in order:
   * {@link #APPEND} for each, in one atomic step. Removes members scored before (server now −
   * window) once; each append then adds its member (or, scored before the window, removes it, as
   * {@code APPEND}'s trim would); the newest maxMembers are kept and the TTL re-armed once at the
   * end. The window and the cap hold when the step ends, as after the same appends one by one.
   * Returns the window size after each append, capped at maxMembers.
   */
  APPEND_MANY(
      "local key = KEYS[1]\n"
          + "local t = redis.call('TIME')\n"
          + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
          + "local window = tonumber(ARGV[1])\n"
          + "local cap = tonumber(ARGV[2])\n"
          + "local cutoff = now - window\n"
          + "redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('(%d', cutoff))\n"
          + "local n = redis.call('ZCARD', key)\n"
          + "local sizes = {}\n"
          + "for i = 3, #ARGV, 2 do\n"
          + "  if tonumber(ARGV[i]) < cutoff then\n"
          + "    n = n - redis.call('ZREM', key, ARGV[i + 1])\n"
          + "  else\n"
          + "    n = n + redis.call('ZADD', key, ARGV[i], ARGV[i + 1])\n"
          + "  end\n"
          + "  if cap > 0 and n > cap then sizes[#sizes + 1] = cap else sizes[#sizes + 1] = n end\n"
          + "end\n"
          + "if cap > 0 and n > cap then\n"
          + "  redis.call('ZREMRANGEBYRANK', key, 0, n - cap - 1)\n"
          + "  n = cap\n"
          + "end\n"
          + "if n > 0 then redis.call('PEXPIRE', key, window) end\n"
          + "return sizes\n"),

  /** ARGV: token. Deletes the lock only if it holds the token; returns 1 if deleted. */
  RELEASE(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
          + "  return redis.call('DEL', KEYS[1])\n"
          + "end\n"
          + "return 0\n"),

  /** ARGV: token, ttl (ms). Re-arms the lock's TTL only if it holds the token; 1 if done. */
  EXTEND(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
          + "  return redis.call('PEXPIRE', KEYS[1], ARGV[2])\n"
          + "end\n"
          + "return 0\n");

  private final LuaScript script;

  CacheScripts(String source) {
    this.script = new LuaScript(source);
  }

  LuaScript script() {
    return script;
  }
}
