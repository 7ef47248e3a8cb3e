/**
 * Internal: the feature store's storage port ({@link io.inferis.features.internal.HashStore}),
 * implemented in memory by {@code io.inferis.features} and on Redis by {@code
 * io.inferis.redis.internal}. Not API; may change without notice.
 */
@NullMarked
package io.inferis.features.internal;

import org.jspecify.annotations.NullMarked;
