/**
 * Internal: the audit's port to a keyspace ({@link io.inferis.audit.internal.Keyspace}),
 * implemented on Redis in {@code io.inferis.redis.internal}. Not API; may change without notice.
 */
@NullMarked
package io.inferis.audit.internal;

import org.jspecify.annotations.NullMarked;
