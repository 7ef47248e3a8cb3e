package io.inferis.registry;

import com.google.protobuf.InvalidProtocolBufferException;
import io.inferis.registry.internal.proto.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A registry file: one serialized {@code feast.core.Registry}, as {@code feast apply} writes it.
 */
final class FileRegistrySource implements RegistrySource {

  private final Path path;
  private final String project;

  FileRegistrySource(Path path, String project) {
    this.path = path;
    this.project = project;
  }

  @Override
  public FeastRegistry read() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new FeastConfigException(
          "registry " + path + " does not exist (has `feast apply` been run?)", e);
    } catch (IOException e) {
      throw new FeastConfigException("registry " + path + " cannot be read: " + e, e);
    }
    Registry registry;
    try {
      registry = Registry.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new FeastConfigException(
          "registry " + path + " is not a Feast registry: " + e.getMessage(), e);
    }
    RegistryModel.requireProject(registry, project, "registry " + path);
    return RegistryModel.of(registry, project, "registry " + path);
  }

  @Override
  public String describe() {
    return path.toString();
  }
}
