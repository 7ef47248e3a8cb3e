package io.inferis.registry;

import com.google.protobuf.InvalidProtocolBufferException;
import io.inferis.registry.internal.proto.FeatureView;
import io.inferis.registry.internal.proto.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Feast repository, registry and answers the real Feast produced (test resources under {@code
 * real-feast/}), copied to a directory a test may change.
 */
public final class RealFeast {

  /** The project of the real repository. */
  public static final String PROJECT = "feast_oracle";

  private RealFeast() {}

  /** The bytes of resource {@code real-feast/<path>}. */
  public static byte[] bytes(String path) {
    try (InputStream in = RealFeast.class.getResourceAsStream("/real-feast/" + path)) {
      if (in == null) {
        throw new IllegalStateException("no test resource real-feast/" + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The registry {@code feast apply} wrote, parsed. */
  public static Registry registry() {
    try {
      return Registry.parseFrom(bytes("repo/data/registry.db"));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Feature view {@code name} of {@code registry}. */
  public static FeatureView view(Registry registry, String name) {
    return registry.getFeatureViewsList().stream()
        .filter(v -> v.getSpec().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no feature view " + name));
  }

  /**
   * A copy of the repository ({@code feature_store.yaml}, {@code data/registry.db}) in a new
   * directory under {@code parent}.
   */
  public static Path copyRepo(Path parent) {
    try {
      Path dir = Files.createTempDirectory(parent, "feast-repo");
      Files.createDirectories(dir.resolve("data"));
      Files.write(dir.resolve("feature_store.yaml"), bytes("repo/feature_store.yaml"));
      Files.write(dir.resolve("data/registry.db"), bytes("repo/data/registry.db"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces {@code target} with {@code bytes} in one step, as a registry writer would. */
  public static void replace(Path target, byte[] bytes) {
    try {
      Path tmp = Files.createTempFile(target.getParent(), "next", ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
