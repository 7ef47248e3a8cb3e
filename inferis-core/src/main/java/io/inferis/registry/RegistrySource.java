package io.inferis.registry;

/**
 * Where a Feast registry is read from: a registry file, or Feast's SQL registry. Each {@link #read}
 * reads it whole again. Implementations are thread-safe; a read blocks its caller.
 */
public interface RegistrySource {

  /**
   * The registry's current contents for the configured project.
   *
   * @throws FeastConfigException if it cannot be read, is not a Feast registry, or holds nothing of
   *     the project
   */
  FeastRegistry read();

  /** What is read, for messages: the file or the database (no password). */
  String describe();

  /** The source {@code config} names. */
  static RegistrySource of(FeastRepoConfig config) {
    FeastRepoConfig.RegistryLocation location = config.registry();
    if (location instanceof FeastRepoConfig.FileRegistry f) {
      return new FileRegistrySource(f.path(), config.project());
    }
    FeastRepoConfig.SqlRegistry sql = (FeastRepoConfig.SqlRegistry) location;
    return new SqlRegistrySource(
        SqlRegistrySource.jdbc(sql.url(), config.file().toAbsolutePath().getParent()),
        config.project());
  }
}
