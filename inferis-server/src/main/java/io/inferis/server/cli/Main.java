package io.inferis.server.cli;

import org.slf4j.bridge.SLF4JBridgeHandler;
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
    routeJdkLogging();
    return new CommandLine(new InferisCommand()).execute(args);
  }

  /**
   * Sends what is logged through {@code java.util.logging} (grpc-java, the JDK) to inferis's own
   * log and its levels, instead of the JDK's console format on stderr. Idempotent.
   */
  public static void routeJdkLogging() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }
}
