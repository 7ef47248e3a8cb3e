package io.inferis.monitoring;

import java.net.InetAddress;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The monitoring key layout (docs/OPERATIONS.md): {@code <prefix>{<server>}:inference:<model>},
 * {@code <prefix>{<server>}:error:<model>} (one hash tag per server, so a server's keys share a
 * slot), and the registries {@code <prefix>models} (members {@code <server>:<model>}) and {@code
 * <prefix>servers}. Immutable.
 */
final class MonitorKeys {

  private static final Pattern SERVER_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private final String prefix;

  MonitorKeys(String prefix) {
    this.prefix = prefix;
  }

  String inference(String server, String model) {
    return prefix + "{" + server + "}:inference:" + model;
  }

  String error(String server, String model) {
    return prefix + "{" + server + "}:error:" + model;
  }

  String models() {
    return prefix + "models";
  }

  String servers() {
    return prefix + "servers";
  }

  static String modelsMember(String server, String model) {
    return server + ":" + model;
  }

  /** {server, model} of a models-registry member; server ids contain no ':'. Null if malformed. */
  static String @Nullable [] parseModelsMember(String member) {
    int colon = member.indexOf(':');
    if (colon <= 0 || colon == member.length() - 1) {
      return null;
    }
    return new String[] {member.substring(0, colon), member.substring(colon + 1)};
  }

  static String requireServerId(String id) {
    Args.notNull(id, "serverId");
    if (!SERVER_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "serverId must be 1-128 characters of [A-Za-z0-9._-], was '" + id + "'");
    }
    return id;
  }

  /** {@code <host>-<pid>-<6 hex>}: distinct per process even when pods reuse a host name. */
  static String generateServerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "host";
    }
    host = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    if (host.length() > 80) {
      host = host.substring(0, 80);
    }
    if (host.isEmpty()) {
      host = "host";
    }
    String random = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    return host + "-" + ProcessHandle.current().pid() + "-" + random;
  }
}
