package io.inferis.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code inferis} command line in this JVM, capturing what it prints. */
final class InProcessCli {

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  /** The exit code of {@code inferis args...}. */
  int run(String... args) {
    CommandLine cli = new CommandLine(new InferisCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }
}
