package io.inferis.server.cli;

import java.util.Arrays;

/**
 * The first line {@code inferis serve} prints once it listens: {@code inferis serving project 'p'
 * on http://host:port (store: ...)}. Tests that run {@code serve} in its own JVM read its base URL
 * from it.
 */
public final class ServeBanner {

  /** What the line starts with. */
  public static final String PREFIX = "inferis serving";

  /** What the line announcing the gRPC port starts with: {@code gRPC on localhost:port: ...}. */
  public static final String GRPC_PREFIX = "gRPC on localhost:";

  private ServeBanner() {}

  /**
   * {@code serve} on loopback with free HTTP and gRPC ports (the banner says which), and {@code
   * flags}: the command line of a test's server.
   */
  public static String[] serveOnFreePorts(String... flags) {
    String[] ports = {"serve", "--host", "127.0.0.1", "--port", "0", "--grpc-port", "0"};
    String[] args = Arrays.copyOf(ports, ports.length + flags.length);
    System.arraycopy(flags, 0, args, ports.length, flags.length);
    return args;
  }

  /** The port the gRPC line announces. */
  public static int grpcPort(String line) {
    if (!line.startsWith(GRPC_PREFIX)) {
      throw new IllegalArgumentException("not the gRPC line: " + line);
    }
    int from = GRPC_PREFIX.length();
    return Integer.parseInt(line.substring(from, line.indexOf(':', from)));
  }

  /** The {@code http://host:port} the banner announces. */
  public static String baseUrl(String banner) {
    int from = banner.indexOf("http://");
    int to = banner.indexOf(" (store");
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("not a serve banner: " + banner);
    }
    return banner.substring(from, to);
  }
}
