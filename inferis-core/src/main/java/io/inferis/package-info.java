/**
 * inferis: the Redis data plane of an online ML inference service. Root package with the exception
 * root {@link io.inferis.InferisException}; each concern has its own API package.
 */
@NullMarked
package io.inferis;

import org.jspecify.annotations.NullMarked;
