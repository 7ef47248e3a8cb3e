package io.inferis.bench;

import io.inferis.server.cli.Main;
import picocli.CommandLine;

/** The {@code main} of every bench program with options: picocli, and its exit code if not 0. */
final class CliMain {

  private CliMain() {}

  /** Runs {@code command} on {@code args}; exits with picocli's code when it is not 0. */
  static void run(Object command, String[] args) {
    Main.routeJdkLogging(); // the in-process gRPC server logs as `inferis serve` does
    int code = new CommandLine(command).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
