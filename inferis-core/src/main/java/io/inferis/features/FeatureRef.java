package io.inferis.features;

/**
 * A reference {@code view:feature} as Feast writes it in requests. Immutable.
 *
 * @param view the feature view name
 * @param feature the feature name
 */
public record FeatureRef(String view, String feature) {

  /**
   * Parses {@code view:feature}.
   *
   * @throws InvalidRequestException naming the malformed reference
   */
  public static FeatureRef parse(String ref) {
    if (ref == null) {
      throw new InvalidRequestException("feature reference must not be null");
    }
    int colon = ref.indexOf(':');
    if (colon <= 0 || colon == ref.length() - 1 || ref.indexOf(':', colon + 1) >= 0) {
      throw new InvalidRequestException(
          "feature reference '" + ref + "' must have the form 'feature_view:feature'");
    }
    return new FeatureRef(ref.substring(0, colon), ref.substring(colon + 1));
  }

  @Override
  public String toString() {
    return view + ":" + feature;
  }
}
