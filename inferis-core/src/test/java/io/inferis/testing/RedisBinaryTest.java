package io.inferis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class RedisBinaryTest {

  @Test
  void resolvesARunnableBinary() {
    assertThat(Files.isExecutable(RedisBinary.path())).isTrue();
    assertThat(RedisBinary.version()).matches("\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void bundledBinaryIsExtractedUnderTheHarnessDirectory() {
    assertThat(RedisBinary.bundled()).startsWith(HarnessDirs.root());
    assertThat(Files.isExecutable(RedisBinary.bundled())).isTrue();
  }
}
