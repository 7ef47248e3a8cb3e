/**
 * Connecting to Redis: URLs ({@code redis://}, {@code rediss://}, {@code redis-cluster://}, {@code
 * redis-sentinel://}), {@link io.inferis.redis.RedisOptions} and {@link
 * io.inferis.redis.RedisConnector}, one shared connection set per process, and the typed exceptions
 * Redis failures become.
 */
@NullMarked
package io.inferis.redis;

import org.jspecify.annotations.NullMarked;
