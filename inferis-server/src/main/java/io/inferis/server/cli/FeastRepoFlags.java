package io.inferis.server.cli;

import io.inferis.registry.FeastConfigException;
import io.inferis.registry.FeastRepoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --feast-repo DIR} and {@code --feast-config FILE}: a Feast repository as it is. */
final class FeastRepoFlags {

  @Option(
      names = "--feast-repo",
      defaultValue = "${env:INFERIS_FEAST_REPO}",
      description =
          "A Feast repository directory: serve its feature_store.yaml and the registry"
              + " `feast apply` wrote (env INFERIS_FEAST_REPO).")
  @Nullable Path dir;

  @Option(
      names = "--feast-config",
      defaultValue = "${env:INFERIS_FEAST_CONFIG:-" + FeastRepoConfig.DEFAULT_FILE + "}",
      description =
          "The repository's yaml, relative to --feast-repo (env INFERIS_FEAST_CONFIG;"
              + " default ${DEFAULT-VALUE}).")
  String config;

  /** True when a repository is given. */
  boolean isSet() {
    return dir != null;
  }

  /**
   * The repository's configuration.
   *
   * @throws ParameterException (exit 2) naming the file and the problem
   */
  FeastRepoConfig load(CommandSpec spec) {
    if (dir == null || !Files.isDirectory(dir)) {
      throw new ParameterException(
          spec.commandLine(), "--feast-repo " + dir + " is not a directory");
    }
    Path file = dir.resolve(config);
    if (!Files.isRegularFile(file)) {
      throw new ParameterException(
          spec.commandLine(),
          "--feast-repo " + dir + " has no " + config + " (give another with --feast-config)");
    }
    try {
      return FeastRepoConfig.load(dir.toAbsolutePath(), file.toAbsolutePath());
    } catch (FeastConfigException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
