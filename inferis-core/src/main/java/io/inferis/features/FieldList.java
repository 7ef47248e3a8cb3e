package io.inferis.features;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The field names of a read, shared by every read of the same request shape (a {@link ReadPlan}
 * template's group), with room for one form of them that a store prepares once and reuses: the
 * Redis store keeps them encoded as command arguments there.
 */
final class FieldList extends AbstractList<byte[]> implements RandomAccess {

  private final byte[][] fields;
  private volatile @Nullable Object prepared;

  private FieldList(byte[][] fields) {
    this.fields = fields;
  }

  /** {@code fields} itself when it is one, else a copy of the list (the arrays are shared). */
  static FieldList of(List<byte[]> fields) {
    return fields instanceof FieldList list ? list : new FieldList(fields.toArray(new byte[0][]));
  }

  @Override
  public byte[] get(int index) {
    return fields[index];
  }

  @Override
  public int size() {
    return fields.length;
  }

  /**
   * The form of these fields that {@code prepare} makes, made on first use and kept; a race makes
   * it twice, harmlessly. One slot: the store that owns the template is the only one to ask.
   */
  <T> T prepared(Class<T> type, Function<FieldList, T> prepare) {
    Object p = prepared;
    if (!type.isInstance(p)) {
      p = prepare.apply(this);
      prepared = p;
    }
    return type.cast(p);
  }
}
