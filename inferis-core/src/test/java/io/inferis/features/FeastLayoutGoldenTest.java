package io.inferis.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldStatus;
import io.inferis.feast.ValueType;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bytes in Redis, checked with a raw client against hex written out by hand from Feast's layout
 * (SPEC §1–3, §7): what inferis writes reads back through raw HMGET with Feast's field hashes, and
 * what raw HSETs in Feast's layout write reads back through inferis.
 */
class FeastLayoutGoldenTest {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  private static final HexFormat HEX = HexFormat.of();
  // {driver_id: int64 1001} (Go vector) + utf8("feast_proj")
  private static final byte[] KEY_1001 =
      HEX.parseHex(
          "0100000002000000090000006472697665725f69640400000008000000e903000000000000"
              + HEX.formatHex("feast_proj".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  private static final byte[] CONV_RATE =
      HEX.parseHex("6160e3da"); // _mmh3(driver_hourly_stats:conv_rate)
  private static final byte[] ACC_RATE = HEX.parseHex("fa5e58ad");
  private static final byte[] AVG_TRIPS = HEX.parseHex("18a5e5a3");
  private static final byte[] TS_FIELD =
      "_ts:driver_hourly_stats".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final byte[] TS_2021 = HEX.parseHex("0880ccb9ff05"); // 2021-01-01T00:00:00Z

  private static RedisConnector connector;
  private static FeatureStore store;
  private static RedisClient raw;
  private static StatefulRedisConnection<byte[], byte[]> rawConn;

  static FeatureRepo repo() {
    return FeatureRepo.builder("feast_proj")
        .entity(new EntityDef("driver", "driver_id", ValueType.INT64))
        .view(
            new FeatureViewDef(
                "driver_hourly_stats",
                List.of("driver"),
                List.of(
                    new FeatureDef("conv_rate", ValueType.FLOAT),
                    new FeatureDef("acc_rate", ValueType.FLOAT),
                    new FeatureDef("avg_daily_trips", ValueType.INT64)),
                Duration.ZERO))
        .build();
  }

  @BeforeAll
  static void connect() {
    connector = RedisConnector.connect(redis.get().uri());
    store =
        FeatureStores.redis(
            repo(), connector, FeatureStoreOptions.builder().skipOlderRows(false).build());
    raw = RedisClient.create(redis.get().uri());
    rawConn = raw.connect(ByteArrayCodec.INSTANCE);
  }

  @AfterAll
  static void close() {
    rawConn.close();
    raw.shutdown();
    store.close();
    connector.close();
  }

  @Test
  void rowWrittenByInferis_readsBackThroughRawHmgetWithFeastFieldHashes() {
    store.writeRows(
        "driver_hourly_stats",
        List.of(
            new FeatureRow(
                Map.of("driver_id", FeatureValue.ofInt64(1001)),
                Map.of(
                    "conv_rate", FeatureValue.ofFloat(0.9273980259895325f),
                    "avg_daily_trips", FeatureValue.ofInt64(1001)),
                Instant.parse("2021-01-01T00:00:00Z"))));
    RedisCommands<byte[], byte[]> r = rawConn.sync();
    List<KeyValue<byte[], byte[]>> got =
        r.hmget(KEY_1001, CONV_RATE, ACC_RATE, AVG_TRIPS, TS_FIELD);
    assertThat(HEX.formatHex(got.get(0).getValue())).isEqualTo("35f5696d3f"); // Value{float_val}
    assertThat(got.get(1).getValue()).as("unset feature stored as empty Value").isEmpty();
    assertThat(HEX.formatHex(got.get(2).getValue())).isEqualTo("20e907"); // Value{int64_val: 1001}
    assertThat(HEX.formatHex(got.get(3).getValue())).isEqualTo("0880ccb9ff05");
    assertThat(r.hlen(KEY_1001)).isEqualTo(4);
    assertThat(r.ttl(KEY_1001)).as("no key_ttl_seconds configured").isEqualTo(-1);
  }

  @Test
  void rowWrittenWithRawHsetInFeastLayout_readsBackThroughInferis() {
    Map<byte[], byte[]> hash = new LinkedHashMap<>();
    hash.put(CONV_RATE, HEX.parseHex("35f5696d3f"));
    hash.put(AVG_TRIPS, HEX.parseHex("20e907"));
    hash.put(ACC_RATE, new byte[0]);
    hash.put(TS_FIELD, TS_2021);
    rawConn.sync().hset(KEY_1001, hash);

    OnlineFeatures f =
        store.get(
            List.of(
                "driver_hourly_stats:conv_rate",
                "driver_hourly_stats:acc_rate",
                "driver_hourly_stats:avg_daily_trips"),
            List.of(Map.of("driver_id", FeatureValue.ofInt64(1001))));
    assertThat(f.value(0, 0)).isEqualTo(FeatureValue.ofFloat(0.9273980259895325f));
    assertThat(f.status(0, 1)).isEqualTo(FieldStatus.NULL_VALUE);
    assertThat(f.value(0, 2)).isEqualTo(FeatureValue.ofInt64(1001));
    assertThat(f.eventTime(0, 0)).isEqualTo(Instant.parse("2021-01-01T00:00:00Z"));
  }

  @Test
  void keyTtl_isSetOnTheWholeHash() {
    try (FeatureStore ttlStore =
        FeatureStores.redis(
            repo(),
            connector,
            FeatureStoreOptions.builder().keyTtl(Duration.ofSeconds(600)).build())) {
      ttlStore.writeRows(
          "driver_hourly_stats",
          List.of(
              new FeatureRow(
                  Map.of("driver_id", FeatureValue.ofInt64(1001)),
                  Map.of("avg_daily_trips", FeatureValue.ofInt64(1)),
                  Instant.now())));
    }
    assertThat(rawConn.sync().ttl(KEY_1001)).isBetween(590L, 600L);
  }

  /** HSET and EXPIRE are one script; a 1,500-feature row spans two of its HSET chunks. */
  @Test
  void keyTtl_wideRow_everyFieldWrittenAndTheTtlSet() {
    List<FeatureDef> features = new java.util.ArrayList<>();
    Map<String, FeatureValue> values = new LinkedHashMap<>();
    for (int i = 0; i < 1500; i++) {
      features.add(new FeatureDef("f" + i, ValueType.INT64));
      values.put("f" + i, FeatureValue.ofInt64(i));
    }
    FeatureRepo wide =
        FeatureRepo.builder("wide")
            .entity(new EntityDef("driver", "driver_id", ValueType.INT64))
            .view(new FeatureViewDef("w", List.of("driver"), features, Duration.ZERO))
            .build();
    try (FeatureStore ttlStore =
        FeatureStores.redis(
            wide,
            connector,
            FeatureStoreOptions.builder().keyTtl(Duration.ofSeconds(600)).build())) {
      ttlStore.writeRows(
          "w",
          List.of(
              new FeatureRow(Map.of("driver_id", FeatureValue.ofInt64(7)), values, Instant.now())));
      List<String> refs = features.stream().map(f -> "w:" + f.name()).toList();
      OnlineFeatures r = ttlStore.get(refs, List.of(Map.of("driver_id", FeatureValue.ofInt64(7))));
      for (int i = 0; i < 1500; i++) {
        assertThat(r.value(0, i)).isEqualTo(FeatureValue.ofInt64(i));
      }
    }
    byte[] key =
        io.inferis.feast.EntityKeys.redisKey(Map.of("driver_id", FeatureValue.ofInt64(7)), "wide");
    assertThat(rawConn.sync().hlen(key)).isEqualTo(1501); // 1,500 features + _ts:w
    assertThat(rawConn.sync().ttl(key)).isBetween(590L, 600L);
  }
}
