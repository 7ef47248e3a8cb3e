package io.inferis.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries docs/DESIGN.md draws, checked on the compiled main classes of inferis-core and
 * inferis-server (and, for imports that leave nothing in bytecode, on their sources):
 *
 * <ul>
 *   <li>Lettuce, Netty and RESP live in {@code io.inferis.redis} only;
 *   <li>the domain packages reach the Redis adapters only through their factories;
 *   <li>the server uses only core's API packages;
 *   <li>the public types of internal packages are a known, short list.
 * </ul>
 */
class ArchitectureTest {

  private static final String REDIS = "io.inferis.redis..";

  /**
   * The classes outside {@code io.inferis.redis} that may touch Netty: Vert.x reports an HTTP
   * request it could not decode as Netty's {@code DecoderResult}, whose cause says whether the
   * request line (414) or the headers (431) were too long; grpc-java takes the gRPC server's event
   * loops as Netty types; Vert.x hands out its event loops (for a Redis connector per loop) as
   * Netty types.
   */
  private static final String HTTP_DECODER_EDGE = "io.inferis.server.InvalidRequests";

  private static final String GRPC_LOOPS_EDGE = "io.inferis.server.grpc.GrpcLoops";

  private static final String HTTP_LOOPS_EDGE = "io.inferis.server.LoopStores";

  private static final Set<String> NETTY_EDGES =
      Set.of(HTTP_DECODER_EDGE, GRPC_LOOPS_EDGE, HTTP_LOOPS_EDGE);

  /** The API factories that wire a domain to its Redis adapter. */
  private static final Set<String> ADAPTER_FACTORIES =
      Set.of(
          "io.inferis.cache.Caches",
          "io.inferis.features.FeatureStores",
          "io.inferis.audit.KeyAudit",
          "io.inferis.redis.RedisConnector");

  /** The public types of internal packages: each one is a port, or the door to the adapters. */
  private static final Set<String> PUBLIC_INTERNALS =
      Set.of(
          "io.inferis.redis.internal.RedisBackends",
          "io.inferis.features.internal.HashStore",
          "io.inferis.features.internal.HashStore$Fields",
          "io.inferis.features.internal.HashStore$Read",
          "io.inferis.features.internal.HashStore$HashWrite",
          "io.inferis.features.internal.HashStore$PlainFields",
          "io.inferis.audit.internal.Keyspace",
          "io.inferis.audit.internal.Keyspace$KeyFacts",
          "io.inferis.cache.internal.Keys",
          "io.inferis.cache.internal.LockWait",
          "io.inferis.cache.internal.TokenLock");

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ArchitectureTest::notATestJar)
            .importPackages("io.inferis");
    assertThat(main.containPackage("io.inferis.features")).isTrue();
    assertThat(main.containPackage("io.inferis.server")).isTrue();
  }

  private static boolean notATestJar(Location location) {
    return !location.contains("-tests.jar") && !location.contains("/io/inferis/testing/");
  }

  @Test
  void lettuce_isUsedOnlyInTheRedisPackages() {
    noClasses()
        .that()
        .resideOutsideOfPackage(REDIS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.lettuce..")
        .because("all Redis wire code lives in io.inferis.redis")
        .check(main);
  }

  @Test
  void netty_isUsedOnlyInTheRedisPackages_andAtItsEdges() {
    noClasses()
        .that()
        .resideOutsideOfPackage(REDIS)
        .and()
        .doNotHaveFullyQualifiedName(HTTP_DECODER_EDGE)
        .and()
        .doNotHaveFullyQualifiedName(GRPC_LOOPS_EDGE)
        .and()
        .doNotHaveFullyQualifiedName(HTTP_LOOPS_EDGE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netty..")
        .because("all Redis wire code lives in io.inferis.redis")
        .check(main);
  }

  @Test
  void nettysInternalApi_isUsedNowhere() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netty.util.internal..", "io.netty.channel.internal..")
        .because("Netty marks it for internal use only; an upgrade may change it silently")
        .check(main);
  }

  @Test
  void domainPackages_reachTheRedisAdapters_onlyThroughTheirFactories() {
    noClasses()
        .that()
        .resideOutsideOfPackage(REDIS)
        .and(
            DescribedPredicate.describe(
                "are not one of the adapter factories " + ADAPTER_FACTORIES,
                (JavaClass c) -> !ADAPTER_FACTORIES.contains(c.getName())))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.inferis.redis.internal..")
        .because("a domain talks to its storage through a port; only a factory wires an adapter")
        .check(main);
  }

  @Test
  void theServer_usesOnlyCoresApiPackages() {
    noClasses()
        .that()
        .resideInAPackage("io.inferis.server..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.inferis..internal..")
        .because("the server is a user of inferis-core, and users see only its API packages")
        .check(main);
  }

  @Test
  void internalPackages_exposeOnlyTheirPortsAndTheAdapterDoor() {
    Set<String> publicInternals = new TreeSet<>();
    for (JavaClass c : main) {
      // protoc makes every class it generates public; they stay in an internal package.
      if (c.getPackageName().endsWith(".internal.proto")) {
        continue;
      }
      if (c.getPackageName().contains(".internal")
          && c.getModifiers().contains(JavaModifier.PUBLIC)) {
        publicInternals.add(c.getName());
      }
    }
    assertThat(publicInternals).containsExactlyInAnyOrderElementsOf(PUBLIC_INTERNALS);
  }

  /**
   * An import leaves no trace in bytecode when the imported type goes unused, so the sources are
   * read too: no main source outside the Redis packages imports Lettuce or Netty.
   */
  @Test
  void noMainSourceOutsideTheRedisPackages_importsLettuceOrNetty() throws IOException {
    Pattern forbidden = Pattern.compile("(?m)^import\\s+(static\\s+)?io\\.(lettuce|netty)\\.");
    List<String> offenders = new ArrayList<>();
    for (Path root : List.of(moduleSources("inferis-core"), moduleSources("inferis-server"))) {
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(p -> p.toString().endsWith(".java"))
            .filter(p -> !root.relativize(p).startsWith(Path.of("io", "inferis", "redis")))
            .filter(p -> NETTY_EDGES.stream().noneMatch(e -> sourceOf(e, root).equals(p)))
            .forEach(
                p -> {
                  if (forbidden.matcher(read(p)).find()) {
                    offenders.add(root.relativize(p).toString());
                  }
                });
      }
    }
    assertThat(offenders).isEmpty();
  }

  private static Path moduleSources(String module) {
    Path here = Path.of("").toAbsolutePath();
    Path root = here.getFileName().toString().startsWith("inferis-") ? here.getParent() : here;
    Path sources = root.resolve(module).resolve("src/main/java");
    assertThat(sources).isDirectory();
    return sources;
  }

  private static Path sourceOf(String className, Path root) {
    return root.resolve(className.replace('.', '/') + ".java");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
