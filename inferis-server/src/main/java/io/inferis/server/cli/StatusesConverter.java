package io.inferis.server.cli;

import io.inferis.server.feast.Statuses;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --statuses python|precise}, in any case. */
final class StatusesConverter implements ITypeConverter<Statuses> {

  @Override
  public Statuses convert(String value) {
    try {
      return Statuses.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("must be python or precise, was '" + value + "'");
    }
  }
}
