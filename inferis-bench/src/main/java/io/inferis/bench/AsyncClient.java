package io.inferis.bench;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A client under test whose lookups complete asynchronously, so no thread blocks per request; the
 * harness keeps requests in flight from completions ({@link AsyncLoop}).
 */
interface AsyncClient extends AutoCloseable {

  /** Looks up the scenario's features for {@code entities}. */
  CompletableFuture<?> lookup(List<Integer> entities);

  @Override
  void close();
}
