package io.inferis.registry;

import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository's yaml and registry come from users and from other programs: on any mutation of the
 * real ones, reading gives a config or registry or throws {@link FeastConfigException}, never
 * another exception. Seeds are fixed, so a failure reproduces.
 */
class FeastRepoFuzzTest {

  private static final String YAML_ALPHABET = " \n\t:-,{}[]\"'#$&*!|>%@`=/.\\0123456789abcxyz_";

  @TempDir Path tmp;

  @Test
  void mutatedYaml_loadsOrThrowsConfigExceptionOnly() throws Exception {
    Random random = new Random(16);
    String valid = new String(RealFeast.bytes("repo/feature_store.yaml"), StandardCharsets.UTF_8);
    Path file = tmp.resolve("feature_store.yaml");
    for (int i = 0; i < 3_000; i++) {
      StringBuilder text = new StringBuilder(valid);
      int mutations = 1 + random.nextInt(4);
      for (int m = 0; m < mutations; m++) {
        int at = random.nextInt(text.length());
        char c = YAML_ALPHABET.charAt(random.nextInt(YAML_ALPHABET.length()));
        switch (random.nextInt(3)) {
          case 0 -> text.setCharAt(at, c);
          case 1 -> text.insert(at, c);
          default -> text.deleteCharAt(at);
        }
      }
      Files.writeString(file, text);
      try {
        FeastRepoConfig.load(tmp, file);
      } catch (FeastConfigException expected) {
        // the message names the file; FeastRepoConfigTest checks the messages
      } catch (RuntimeException e) {
        fail("run " + i + ": " + e + " for yaml:\n" + text, e);
      }
    }
  }

  @Test
  void mutatedRegistry_readsOrThrowsConfigExceptionOnly() throws Exception {
    Random random = new Random(1_600);
    byte[] valid = RealFeast.bytes("repo/data/registry.db");
    Path file = tmp.resolve("registry.db");
    RegistrySource source = new FileRegistrySource(file, RealFeast.PROJECT);
    for (int i = 0; i < 3_000; i++) {
      byte[] bytes = valid.clone();
      int mutations = 1 + random.nextInt(4);
      for (int m = 0; m < mutations; m++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      if (random.nextInt(4) == 0) {
        bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
      }
      Files.write(file, bytes);
      try {
        source.read();
      } catch (FeastConfigException expected) {
        // corrupt, or of no use to a server: the reason is in the message
      } catch (RuntimeException e) {
        fail("run " + i + " (seed 1600): " + e, e);
      }
    }
  }
}
