package io.inferis.server;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The server's background timers: one daemon thread each, named for thread dumps. */
final class Daemons {

  private Daemons() {}

  /** A scheduler on one daemon thread called {@code name}; its owner shuts it down. */
  static ScheduledExecutorService scheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
