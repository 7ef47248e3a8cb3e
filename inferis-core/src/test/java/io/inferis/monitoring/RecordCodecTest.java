package io.inferis.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.cache.ScoredMember;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stored JSON of a record: compact, and exact on a round trip (fuzzed). */
class RecordCodecTest {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  private static String randomText(Random r, int maxLength) {
    int n = 1 + r.nextInt(maxLength);
    StringBuilder sb = new StringBuilder(n);
    while (sb.length() < n) {
      int cp =
          switch (r.nextInt(5)) {
            case 0 -> 0x20 + r.nextInt(0x5f); // printable ASCII, quotes and backslashes included
            case 1 -> r.nextInt(0x20); // control characters
            case 2 -> 0xa0 + r.nextInt(0xd7ff - 0xa0); // BMP below the surrogates
            case 3 -> 0x1f300 + r.nextInt(0x300); // emoji: surrogate pairs in UTF-16
            default -> 'a' + r.nextInt(26);
          };
      sb.appendCodePoint(cp);
    }
    String s = sb.length() > maxLength ? sb.substring(0, maxLength) : sb.toString();
    if (Character.isHighSurrogate(s.charAt(s.length() - 1))) {
      s = s.substring(0, s.length() - 1) + "z";
    }
    return s.isBlank() ? "x" + s : s;
  }

  private static double randomDouble(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> r.nextDouble();
      case 1 -> -r.nextDouble() * 1e300;
      case 2 -> Double.MIN_VALUE * r.nextInt(10);
      default -> r.nextGaussian();
    };
  }

  static StoredRecord randomRecord(Random r) {
    InferenceRecord.Builder b =
        InferenceRecord.builder()
            .id(randomText(r, InferenceRecord.MAX_ID_LENGTH))
            .eventTimeMillis(r.nextLong() & Long.MAX_VALUE)
            .latencyMicros(r.nextLong() & Long.MAX_VALUE);
    switch (r.nextInt(3)) {
      case 0 -> {
        Map<String, Double> classes = new LinkedHashMap<>();
        for (int i = r.nextInt(8); i >= 0; i--) {
          classes.put(randomText(r, 20), randomDouble(r));
        }
        b.prediction(Prediction.classes(classes));
      }
      case 1 -> {
        double[] values = new double[r.nextInt(Prediction.MAX_VALUES + 1)];
        for (int i = 0; i < values.length; i++) {
          values[i] = randomDouble(r);
        }
        b.prediction(Prediction.values(values));
      }
      default -> b.prediction(Prediction.none());
    }
    for (int i = r.nextInt(InferenceRecord.MAX_TAGS + 1); i > 0; i--) {
      b.tag(
          randomText(r, 30), r.nextBoolean() ? "" : randomText(r, InferenceRecord.MAX_TAG_LENGTH));
    }
    InferenceRecord rec = b.build();
    boolean error = r.nextInt(4) == 0;
    return new StoredRecord(
        "srv-" + r.nextInt(100),
        randomText(r, Args.MAX_MODEL_ID_LENGTH),
        rec.eventTimeMillis().getAsLong(),
        rec,
        error ? randomText(r, 60) : null,
        error && r.nextBoolean() ? randomText(r, RecordCodec.MAX_ERROR_MESSAGE) : null);
  }

  @Test
  void randomRecords_roundTripExactly() {
    Random r = new Random(20240611);
    for (int i = 0; i < 5000; i++) {
      StoredRecord original = randomRecord(r);
      String json = RecordCodec.encode(original);
      assertThat(RecordCodec.decode(json)).as("round trip of %s", json).isEqualTo(original);
    }
  }

  @Test
  void randomRecords_roundTripThroughRedis() {
    Random r = new Random(7);
    try (RedisConnector connector = RedisConnector.connect(redis.get().uri());
        Cache cache = Caches.redis(connector);
        Monitor m = Monitoring.start(cache, MonitoringOptions.builder().serverId("fuzz").build())) {
      Set<InferenceRecord> sent = new HashSet<>();
      long now = System.currentTimeMillis();
      for (int i = 0; i < 300; i++) {
        InferenceRecord rec =
            InferenceRecord.builder()
                .id("rec-" + i)
                .eventTimeMillis(now)
                .latencyMicros(i)
                .prediction(randomRecord(r).record().prediction())
                .tags(randomRecord(r).record().tags())
                .build();
        sent.add(rec);
        m.record("model/ü:1", rec);
      }
      assertThat(m.flush(Duration.ofSeconds(5))).isTrue();
      List<ScoredMember> stored = cache.range("inferis:{fuzz}:inference:model/ü:1", 0, now);
      Set<InferenceRecord> back = new HashSet<>();
      for (ScoredMember s : stored) {
        StoredRecord d = RecordCodec.decode(s.member());
        assertThat(d.serverId()).isEqualTo("fuzz");
        assertThat(d.modelId()).isEqualTo("model/ü:1");
        back.add(d.record());
      }
      assertThat(back).isEqualTo(sent);
    }
  }

  @Test
  void encoding_isCompact() {
    InferenceRecord rec =
        InferenceRecord.builder()
            .id("r1")
            .eventTimeMillis(1_700_000_000_000L)
            .latency(Duration.ofMillis(12))
            .prediction(Prediction.classes(Map.of("fraud", 0.93, "ok", 0.07)))
            .tag("tenant", "a")
            .build();
    String json =
        RecordCodec.encode(new StoredRecord("s1", "m1", 1_700_000_000_000L, rec, null, null));
    assertThat(json)
        .isEqualTo(
            "{\"id\":\"r1\",\"s\":\"s1\",\"m\":\"m1\",\"t\":1700000000000,\"l\":12000,"
                + "\"c\":{\"fraud\":0.93,\"ok\":0.07},\"g\":{\"tenant\":\"a\"}}");
  }

  @Test
  void decode_rejectsWhatIsNotARecord() {
    assertThatThrownBy(() -> RecordCodec.decode("not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a monitoring record");
    assertThatThrownBy(() -> RecordCodec.decode("{\"id\":\"x\"}"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
