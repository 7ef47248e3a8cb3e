/**
 * Feast's Redis online-store layout, byte for byte, with no Redis I/O: entity keys in serialization
 * v3 ({@link io.inferis.feast.EntityKeys}), hash field names ({@link
 * io.inferis.feast.FieldHashes}), {@code feast.types.Value} protos ({@link
 * io.inferis.feast.ValueCodec} over {@link io.inferis.feast.FeatureValue}), event timestamps
 * ({@link io.inferis.feast.Timestamps}) and the feature server's JSON ({@link
 * io.inferis.feast.FeastJson}).
 *
 * <p>Every class here is immutable or stateless and thread-safe. Bytes that cannot be decoded throw
 * {@link io.inferis.feast.FeastCodecException}; arguments that Feast itself would reject throw
 * {@link IllegalArgumentException}. The layout is described in {@code docs/FEAST-LAYOUT.md} (Feast
 * v0.66).
 */
@NullMarked
package io.inferis.feast;

import org.jspecify.annotations.NullMarked;
