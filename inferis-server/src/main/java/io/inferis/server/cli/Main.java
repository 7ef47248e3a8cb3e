package io.inferis.server.cli;

import picocli.CommandLine;

/** Entry point of the {@code inferis} command line: {@code java -jar inferis-server-all.jar}. */
public final class Main {

  private Main() {}

  /** Runs the CLI and exits with its code: 0 on success, 2 on bad arguments. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code instead of exiting (for tests). */
  public static int run(String... args) {
    return new CommandLine(new InferisCommand()).execute(args);
  }
}
