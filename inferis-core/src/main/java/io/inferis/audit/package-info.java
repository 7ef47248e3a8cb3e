/**
 * Auditing a Redis keyspace for the leak inferis exists to prevent: keys without a TTL, their
 * memory by prefix, the largest keys ({@link io.inferis.audit.KeyAudit}), and giving keys without a
 * TTL one. Works on any Redis, not only on keys inferis wrote.
 */
@NullMarked
package io.inferis.audit;

import org.jspecify.annotations.NullMarked;
