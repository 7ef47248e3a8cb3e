package io.inferis.bench;

import java.util.List;

/**
 * A client under test that answers one request on the calling thread; the harness runs it from a
 * thread per request in flight ({@link ThreadLoops}).
 */
interface BlockingClient extends AutoCloseable {

  /** Looks up the scenario's features for {@code entities}; returns how many values it saw. */
  int lookup(List<Integer> entities) throws Exception;

  @Override
  void close();

  /** Makes a client, opening its connections, so a client is made only when it is to run. */
  interface Factory {
    BlockingClient make() throws Exception;
  }
}
