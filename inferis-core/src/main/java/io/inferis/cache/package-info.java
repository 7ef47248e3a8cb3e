/**
 * The cache: values with TTLs, time windows whose every bound is enforced by the store in the same
 * atomic step as the write, and owner-token locks. Backends: {@link
 * io.inferis.cache.Caches#memory()} and {@link io.inferis.cache.Caches#redis}.
 */
@NullMarked
package io.inferis.cache;

import org.jspecify.annotations.NullMarked;
