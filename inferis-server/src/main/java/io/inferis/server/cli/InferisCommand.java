package io.inferis.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root {@code inferis} command; prints usage when run without a subcommand. */
@Command(
    name = "inferis",
    mixinStandardHelpOptions = true,
    versionProvider = InferisCommand.Version.class,
    subcommands = {
      ServeCommand.class,
      LoadCommand.class,
      AuditCommand.class,
      RegistryCommand.class,
      BenchCommand.class
    },
    description = {
      "Redis data plane for online ML inference:",
      "Feast-compatible feature lookups over a constant number of connections,",
      "and inference monitoring whose keys never leak."
    },
    footer = {
      "",
      "Environment: every flag has an INFERIS_* twin (e.g. --redis <-> INFERIS_REDIS_URL)."
    })
public final class InferisCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads the version Maven wrote into {@code version.properties}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      Properties p = new Properties();
      try (InputStream in =
          Version.class.getResourceAsStream("/io/inferis/server/version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new String[] {
        "inferis " + p.getProperty("version", "unknown"),
        "JVM: ${java.version} (${java.vendor} ${java.vm.name})"
      };
    }
  }
}
