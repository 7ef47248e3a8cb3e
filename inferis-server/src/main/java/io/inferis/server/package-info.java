/**
 * The inferis HTTP server (Vert.x): Feast's feature-server endpoints over a {@link
 * io.inferis.features.FeatureStore}, with request limits and {@code {"error": ...}} answers for bad
 * input.
 */
@NullMarked
package io.inferis.server;

import org.jspecify.annotations.NullMarked;
