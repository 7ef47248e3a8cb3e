/**
 * The Feast-compatible online feature store: definitions ({@link io.inferis.features.FeatureRepo}),
 * lookups and writes ({@link io.inferis.features.FeatureStore}) in Feast's Redis layout, with
 * batched, pipelined, slot-aware reads and flow control. Backends: {@link
 * io.inferis.features.FeatureStores#redis} and {@link io.inferis.features.FeatureStores#memory}.
 */
@NullMarked
package io.inferis.features;

import org.jspecify.annotations.NullMarked;
