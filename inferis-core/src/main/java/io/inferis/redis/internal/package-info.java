/**
 * Internal: the Lettuce-based connector, URL parsing and exception translation. Not API; may change
 * without notice.
 */
@NullMarked
package io.inferis.redis.internal;

import org.jspecify.annotations.NullMarked;
