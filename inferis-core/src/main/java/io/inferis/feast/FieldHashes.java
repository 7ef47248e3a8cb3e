package io.inferis.feast;

import java.util.Objects;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * The names of the fields in Feast's Redis hashes. Stateless and thread-safe.
 *
 * <p>A feature's field is {@code _mmh3("<featureView>:<feature>")}: MurmurHash3 x86 32-bit with
 * seed 0 over the UTF-8 bytes, stored as the 4 little-endian bytes of the result. A view's event
 * time is under the plain string {@code "_ts:<featureView>"}. {@code <featureView>} is the view's
 * name, not a projection alias, with {@link #versionedName} applied when Feast's online versioning
 * is on.
 */
public final class FieldHashes {

  private FieldHashes() {}

  /**
   * The hash field of {@code feature} in {@code featureView}: {@code mmh3(featureView + ":" +
   * feature)}.
   *
   * @throws IllegalArgumentException if a name is not valid Unicode
   */
  public static byte[] featureField(String featureView, String feature) {
    Objects.requireNonNull(featureView, "featureView");
    Objects.requireNonNull(feature, "feature");
    return mmh3(featureView + ":" + feature);
  }

  /**
   * Feast's {@code _mmh3}: the 4 little-endian bytes of MurmurHash3_x86_32 (seed 0) of the UTF-8
   * bytes of {@code text}. Commons-codec's {@code hash32x86} is used; its older {@code hash32} and
   * Guava's deprecated {@code murmur3_32} differ on some inputs.
   *
   * @throws IllegalArgumentException if {@code text} is not valid Unicode
   */
  public static byte[] mmh3(String text) {
    int hash = murmur3(Utf8.encode(text, "hashed field name"), 0);
    return new byte[] {
      (byte) hash, (byte) (hash >>> 8), (byte) (hash >>> 16), (byte) (hash >>> 24)
    };
  }

  /**
   * The field holding {@code featureView}'s event timestamp: the UTF-8 of {@code "_ts:" +
   * featureView}, not hashed.
   *
   * @throws IllegalArgumentException if the name is not valid Unicode
   */
  public static byte[] timestampField(String featureView) {
    return Utf8.encode(
        "_ts:" + Objects.requireNonNull(featureView, "featureView"), "feature view name");
  }

  /**
   * The name Feast uses in hash fields for version {@code version} of a view when online versioning
   * is enabled: {@code <name>_v<version>}, or the plain name for version 0.
   *
   * @throws IllegalArgumentException if {@code version} is negative
   */
  public static String versionedName(String featureView, int version) {
    Objects.requireNonNull(featureView, "featureView");
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0, was " + version);
    }
    return version == 0 ? featureView : featureView + "_v" + version;
  }

  /** MurmurHash3_x86_32 of {@code data} with {@code seed}, as a raw 32-bit result. */
  static int murmur3(byte[] data, int seed) {
    return MurmurHash3.hash32x86(data, 0, data.length, seed);
  }
}
