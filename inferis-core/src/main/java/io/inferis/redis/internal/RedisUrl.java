package io.inferis.redis.internal;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A parsed inferis Redis URL (see {@link io.inferis.redis.RedisConnector#connect}). Parsing never
 * puts a password into an exception message or {@link #redacted()}.
 */
final class RedisUrl {

  /** What kind of deployment the URL names. */
  enum Kind {
    STANDALONE,
    SENTINEL,
    CLUSTER
  }

  private final Kind kind;
  private final List<RedisURI> uris;
  private final String redacted;
  private final boolean hasCredentials;

  private RedisUrl(Kind kind, List<RedisURI> uris, String redacted) {
    this.kind = kind;
    this.uris = List.copyOf(uris);
    this.redacted = redacted;
    this.hasCredentials = redacted.contains("***@");
  }

  /** Parses a URL; throws {@link IllegalArgumentException} naming the problem. */
  static RedisUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("Redis URL must not be empty");
    }
    String trimmed = url.trim();
    int schemeEnd = trimmed.indexOf("://");
    if (schemeEnd < 0) {
      throw new IllegalArgumentException(
          "Redis URL must start with redis://, rediss://, redis-cluster:// or redis-sentinel://,"
              + " was "
              + redact(trimmed));
    }
    String scheme = trimmed.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    String rest = trimmed.substring(schemeEnd + 3);
    String redacted = scheme + "://" + redact(rest);
    switch (scheme) {
      case "redis":
      case "rediss":
        return new RedisUrl(Kind.STANDALONE, List.of(standalone(scheme, rest, redacted)), redacted);
      case "redis-cluster":
      case "rediss-cluster":
        return new RedisUrl(
            Kind.CLUSTER, cluster(scheme.startsWith("rediss"), rest, redacted), redacted);
      case "redis-sentinel":
      case "rediss-sentinel":
        return new RedisUrl(
            Kind.SENTINEL,
            List.of(sentinel(scheme.startsWith("rediss"), rest, redacted)),
            redacted);
      default:
        throw new IllegalArgumentException(
            "unknown Redis URL scheme '"
                + scheme
                + "' (use redis, rediss, redis-cluster, rediss-cluster or redis-sentinel): "
                + redacted);
    }
  }

  /** The kind of deployment. */
  Kind kind() {
    return kind;
  }

  /** One URI for standalone/sentinel, the seed nodes for a cluster. */
  List<RedisURI> uris() {
    return uris;
  }

  /** True for the TLS schemes ({@code rediss://}, {@code rediss-cluster://}, ...). */
  boolean isTls() {
    return uris.get(0).isSsl();
  }

  /**
   * True when the URL carries credentials ({@code user:pass@}, {@code :pass@} or {@code pass@}).
   */
  boolean hasCredentials() {
    return hasCredentials;
  }

  /** The URL with any password replaced by {@code ***}. */
  String redacted() {
    return redacted;
  }

  @Override
  public String toString() {
    return redacted;
  }

  private static RedisURI standalone(String scheme, String rest, String redacted) {
    Credentials cred = Credentials.split(rest, redacted);
    String[] pathSplit = cred.hostPart.split("/", 2);
    HostPort hp = HostPort.parse(pathSplit[0], redacted);
    RedisURI.Builder b = RedisURI.builder().withHost(hp.host).withPort(hp.port);
    b.withSsl(scheme.equals("rediss"));
    if (pathSplit.length > 1 && !pathSplit[1].isEmpty()) {
      b.withDatabase(database(pathSplit[1], redacted));
    }
    cred.apply(b);
    return b.build();
  }

  private static List<RedisURI> cluster(boolean ssl, String rest, String redacted) {
    Credentials cred = Credentials.split(rest, redacted);
    String hosts =
        cred.hostPart.endsWith("/")
            ? cred.hostPart.substring(0, cred.hostPart.length() - 1)
            : cred.hostPart;
    if (hosts.contains("/")) {
      throw new IllegalArgumentException("a cluster URL has no database or path: " + redacted);
    }
    List<RedisURI> out = new ArrayList<>();
    for (String part : hosts.split(",")) {
      HostPort hp = HostPort.parse(part, redacted);
      RedisURI.Builder b = RedisURI.builder().withHost(hp.host).withPort(hp.port).withSsl(ssl);
      cred.apply(b);
      out.add(b.build());
    }
    return out;
  }

  private static RedisURI sentinel(boolean ssl, String rest, String redacted) {
    Credentials cred = Credentials.split(rest, redacted);
    String[] parts = cred.hostPart.split("/");
    if (parts.length < 2 || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "a sentinel URL names the master after the hosts (redis-sentinel://h:p,h:p/master): "
              + redacted);
    }
    String master = parts[1];
    RedisURI.Builder b = null;
    for (String part : parts[0].split(",")) {
      HostPort hp = HostPort.parse(part, redacted, RedisURI.DEFAULT_SENTINEL_PORT);
      if (b == null) {
        b = RedisURI.Builder.sentinel(hp.host, hp.port, master);
      } else {
        b.withSentinel(hp.host, hp.port);
      }
    }
    if (b == null) {
      throw new IllegalArgumentException("a sentinel URL needs at least one host: " + redacted);
    }
    if (parts.length > 2 && !parts[2].isEmpty()) {
      b.withDatabase(database(parts[2], redacted));
    }
    b.withSsl(ssl);
    cred.apply(b);
    return b.build();
  }

  private static int database(String s, String redacted) {
    try {
      int db = Integer.parseInt(s);
      if (db < 0) {
        throw new NumberFormatException();
      }
      return db;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "database must be a number >= 0, was '" + s + "': " + redacted);
    }
  }

  private static String redact(String rest) {
    int at = rest.lastIndexOf('@');
    if (at < 0) {
      return rest;
    }
    String userInfo = rest.substring(0, at);
    int colon = userInfo.indexOf(':');
    String user = colon < 0 ? "" : userInfo.substring(0, colon);
    return (user.isEmpty() ? "" : user + ":") + "***@" + rest.substring(at + 1);
  }

  private static final class Credentials {
    final @Nullable String user;
    final char @Nullable [] password;
    final String hostPart;

    private Credentials(@Nullable String user, char @Nullable [] password, String hostPart) {
      this.user = user;
      this.password = password;
      this.hostPart = hostPart;
    }

    static Credentials split(String rest, String redacted) {
      int at = rest.lastIndexOf('@');
      if (at < 0) {
        return new Credentials(null, null, rest);
      }
      String userInfo = rest.substring(0, at);
      String host = rest.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        // redis://password@host is Lettuce's and redis-py's form for a password without a user.
        return new Credentials(null, decode(userInfo).toCharArray(), host);
      }
      String user = decode(userInfo.substring(0, colon));
      String pass = decode(userInfo.substring(colon + 1));
      return new Credentials(user.isEmpty() ? null : user, pass.toCharArray(), host);
    }

    void apply(RedisURI.Builder b) {
      if (password == null) {
        return;
      }
      if (user != null) {
        b.withAuthentication(user, password);
      } else {
        b.withPassword(password);
      }
    }

    private static String decode(String s) {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
  }

  private static final class HostPort {
    final String host;
    final int port;

    private HostPort(String host, int port) {
      this.host = host;
      this.port = port;
    }

    static HostPort parse(String s, String redacted) {
      return parse(s, redacted, RedisURI.DEFAULT_REDIS_PORT);
    }

    static HostPort parse(String s, String redacted, int defaultPort) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException("missing host in Redis URL: " + redacted);
      }
      try {
        URI u = new URI("redis://" + s);
        String host = u.getHost();
        if (host == null || u.getPath() != null && !u.getPath().isEmpty()) {
          throw new IllegalArgumentException("bad host:port '" + s + "' in Redis URL: " + redacted);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
          host = host.substring(1, host.length() - 1);
        }
        int port = u.getPort() < 0 ? defaultPort : u.getPort();
        if (port < 1 || port > 65535) {
          throw new IllegalArgumentException("port out of range in Redis URL: " + redacted);
        }
        return new HostPort(host, port);
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("bad host:port '" + s + "' in Redis URL: " + redacted);
      }
    }
  }
}
