/**
 * Internal: what the cache backends share (argument checks, the bounded lock wait, the owner-token
 * lock). Not API; may change without notice.
 */
@NullMarked
package io.inferis.cache.internal;

import org.jspecify.annotations.NullMarked;
