package io.inferis.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;

/** Entry point of the {@code inferis} command line: {@code java -jar inferis-server-all.jar}. */
public final class Main {

  /** The logger grpc-netty reports stream errors on. */
  private static final String GRPC_STREAM_ERRORS = "io.grpc.netty.NettyServerHandler";

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
    // grpc-netty warns, with a stack trace, of every answer written after its client went away
    // (a call cancelled, a connection closed with calls in flight): routine for clients that scale
    // in, and the call still ends and is counted. Quiet unless a logging configuration names it.
    if (LoggerFactory.getLogger(GRPC_STREAM_ERRORS) instanceof Logger l && l.getLevel() == null) {
      l.setLevel(Level.ERROR);
    }
  }
}
