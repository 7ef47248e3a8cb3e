package io.inferis.features;

import static io.inferis.features.TestRepo.customer;
import static io.inferis.features.TestRepo.driver;
import static io.inferis.features.TestRepo.pair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Read and write semantics every FeatureStore backend passes: memory, standalone, cluster. */
abstract class FeatureStoreContract {

  /** An empty store over {@link TestRepo#repo()}. */
  protected abstract FeatureStore store();

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

  private static FeatureRow row(
      Map<String, FeatureValue> key, Map<String, FeatureValue> values, Instant t) {
    return new FeatureRow(key, values, t);
  }

  private void writeDriver(long id, float conv, float acc, long trips, Instant t) {
    store()
        .writeRows(
            "driver_hourly_stats",
            List.of(
                row(
                    driver(id),
                    Map.of(
                        "conv_rate", FeatureValue.ofFloat(conv),
                        "acc_rate", FeatureValue.ofFloat(acc),
                        "avg_daily_trips", FeatureValue.ofInt64(trips)),
                    t)));
  }

  @Test
  void writeThenRead_returnsValuesPresentAndEventTime() {
    writeDriver(1001, 0.5f, 0.9f, 12, now);
    OnlineFeatures r =
        store()
            .get(
                List.of("driver_hourly_stats:conv_rate", "driver_hourly_stats:avg_daily_trips"),
                List.of(driver(1001)));
    assertThat(r.value(0, 0)).isEqualTo(FeatureValue.ofFloat(0.5f));
    assertThat(r.value(0, 1)).isEqualTo(FeatureValue.ofInt64(12));
    assertThat(r.status(0, 0)).isEqualTo(FieldStatus.PRESENT);
    assertThat(r.eventTime(0, 1)).isEqualTo(now);
  }

  @Test
  void missingEntity_isNotFound_withEpochTimestamp() {
    writeDriver(1001, 0.5f, 0.9f, 12, now);
    OnlineFeatures r =
        store().get(List.of("driver_hourly_stats:conv_rate"), List.of(driver(1001), driver(4242)));
    assertThat(r.status(0, 0)).isEqualTo(FieldStatus.PRESENT);
    assertThat(r.status(1, 0)).isEqualTo(FieldStatus.NOT_FOUND);
    assertThat(r.value(1, 0).isNull()).isTrue();
    assertThat(r.eventTime(1, 0)).isEqualTo(Instant.EPOCH);
  }

  @Test
  void storedNull_isNullValue() {
    store()
        .writeRows(
            "driver_hourly_stats",
            List.of(row(driver(7), Map.of("conv_rate", FeatureValue.ofFloat(0.1f)), now)));
    OnlineFeatures r =
        store()
            .get(
                List.of("driver_hourly_stats:conv_rate", "driver_hourly_stats:acc_rate"),
                List.of(driver(7)));
    assertThat(r.status(0, 0)).isEqualTo(FieldStatus.PRESENT);
    assertThat(r.status(0, 1))
        .as("a feature the row did not set is stored as an empty Value")
        .isEqualTo(FieldStatus.NULL_VALUE);
    assertThat(r.eventTime(0, 1)).isEqualTo(now);
  }

  @Test
  void olderThanViewTtl_isOutsideMaxAge_valueStillReturned() {
    writeDriver(9, 0.25f, 0.5f, 3, now.minus(Duration.ofHours(2)));
    store()
        .writeRows(
            "driver_extras",
            List.of(
                row(
                    driver(9),
                    Map.of("rating", FeatureValue.ofDouble(4.5)),
                    now.minus(Duration.ofDays(30)))));
    OnlineFeatures r =
        store()
            .get(
                List.of("driver_hourly_stats:conv_rate", "driver_extras:rating"),
                List.of(driver(9)));
    assertThat(r.status(0, 0)).isEqualTo(FieldStatus.OUTSIDE_MAX_AGE);
    assertThat(r.value(0, 0)).isEqualTo(FeatureValue.ofFloat(0.25f));
    assertThat(r.status(0, 1))
        .as("a view without TTL never ages out")
        .isEqualTo(FieldStatus.PRESENT);
  }

  @Test
  void requestOrder_duplicatedEntities_twoJoinKeys_nonAscii_severalViews() {
    String nonAscii = "José-東京-😀";
    writeDriver(1, 0.1f, 0.2f, 1, now);
    writeDriver(2, 0.3f, 0.4f, 2, now);
    store()
        .writeRows(
            "driver_extras",
            List.of(row(driver(2), Map.of("rating", FeatureValue.ofDouble(3.0)), now)));
    store()
        .writeRows(
            "customer_profile",
            List.of(
                row(
                    customer(nonAscii),
                    Map.of(
                        "name",
                        FeatureValue.ofString("Zoë"),
                        "tags",
                        FeatureValue.ofStringList(List.of("a", "β"))),
                    now)));
    store()
        .writeRows(
            "driver_customer",
            List.of(row(pair(2, nonAscii), Map.of("affinity", FeatureValue.ofDouble(0.75)), now)));

    List<String> refs =
        List.of(
            "driver_customer:affinity",
            "driver_hourly_stats:conv_rate",
            "customer_profile:tags",
            "driver_extras:rating");
    List<Map<String, FeatureValue>> rows =
        List.of(pair(2, nonAscii), pair(1, "nobody"), pair(2, nonAscii), pair(3, nonAscii));
    OnlineFeatures r = store().get(refs, rows);

    assertThat(r.rowCount()).isEqualTo(4);
    assertThat(r.value(0, 0)).isEqualTo(FeatureValue.ofDouble(0.75));
    assertThat(r.value(0, 1)).isEqualTo(FeatureValue.ofFloat(0.3f));
    assertThat(r.value(0, 2)).isEqualTo(FeatureValue.ofStringList(List.of("a", "β")));
    assertThat(r.value(0, 3)).isEqualTo(FeatureValue.ofDouble(3.0));
    // Row 1: driver 1 exists, the pair and the customer do not.
    assertThat(r.status(1, 0)).isEqualTo(FieldStatus.NOT_FOUND);
    assertThat(r.value(1, 1)).isEqualTo(FeatureValue.ofFloat(0.1f));
    assertThat(r.status(1, 2)).isEqualTo(FieldStatus.NOT_FOUND);
    assertThat(r.status(1, 3)).isEqualTo(FieldStatus.NOT_FOUND);
    // Row 2 duplicates row 0 exactly.
    for (int f = 0; f < refs.size(); f++) {
      assertThat(r.value(2, f)).isEqualTo(r.value(0, f));
      assertThat(r.status(2, f)).isEqualTo(r.status(0, f));
    }
    // Row 3: driver 3 is unknown, the customer is known.
    assertThat(r.status(3, 0)).isEqualTo(FieldStatus.NOT_FOUND);
    assertThat(r.status(3, 1)).isEqualTo(FieldStatus.NOT_FOUND);
    assertThat(r.status(3, 2)).isEqualTo(FieldStatus.PRESENT);
  }

  @Test
  void int32JoinValue_isConvertedToTheEntityType() {
    writeDriver(5, 0.5f, 0.5f, 5, now);
    OnlineFeatures r =
        store()
            .get(
                List.of("driver_hourly_stats:avg_daily_trips"),
                List.of(Map.of("driver_id", FeatureValue.ofInt32(5))));
    assertThat(r.value(0, 0)).isEqualTo(FeatureValue.ofInt64(5));
  }

  @Test
  void olderOrEqualWrite_isSkipped_newerWins() {
    writeDriver(1, 0.5f, 0.5f, 10, now);
    writeDriver(1, 0.9f, 0.9f, 99, now.minusSeconds(1));
    writeDriver(1, 0.8f, 0.8f, 88, now);
    OnlineFeatures r =
        store().get(List.of("driver_hourly_stats:avg_daily_trips"), List.of(driver(1)));
    assertThat(r.value(0, 0)).isEqualTo(FeatureValue.ofInt64(10));
    writeDriver(1, 0.7f, 0.7f, 77, now.plusSeconds(1));
    assertThat(
            store()
                .get(List.of("driver_hourly_stats:avg_daily_trips"), List.of(driver(1)))
                .value(0, 0))
        .isEqualTo(FeatureValue.ofInt64(77));
  }

  @Test
  void batchWrite_countsWrittenRows_laterRowOfSameKeyWins() {
    FeatureRow a = row(driver(1), Map.of("avg_daily_trips", FeatureValue.ofInt64(1)), now);
    FeatureRow b =
        row(driver(1), Map.of("avg_daily_trips", FeatureValue.ofInt64(2)), now.plusMillis(5));
    FeatureRow stale =
        row(driver(1), Map.of("avg_daily_trips", FeatureValue.ofInt64(3)), now.minusMillis(5));
    FeatureRow other = row(driver(2), Map.of("avg_daily_trips", FeatureValue.ofInt64(4)), now);
    assertThat(store().writeRows("driver_hourly_stats", List.of(a, b, stale, other))).isEqualTo(3);
    OnlineFeatures r =
        store().get(List.of("driver_hourly_stats:avg_daily_trips"), List.of(driver(1), driver(2)));
    assertThat(r.value(0, 0)).isEqualTo(FeatureValue.ofInt64(2));
    assertThat(r.value(1, 0)).isEqualTo(FeatureValue.ofInt64(4));
  }

  @Test
  void badRequests_failClearly_andChangeNothing() {
    writeDriver(1, 0.5f, 0.5f, 10, now);
    assertThatThrownBy(() -> store().get(List.of("nope:conv_rate"), List.of(driver(1))))
        .isInstanceOf(UnknownFeatureException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> store().get(List.of("driver_hourly_stats:nope"), List.of(driver(1))))
        .isInstanceOf(UnknownFeatureException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> store().get(List.of("no-colon"), List.of(driver(1))))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () -> store().get(List.of("driver_hourly_stats:conv_rate"), List.of(customer("x"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("driver_id");
    assertThatThrownBy(
            () ->
                store()
                    .get(
                        List.of("driver_hourly_stats:conv_rate"),
                        List.of(Map.of("driver_id", FeatureValue.ofString("1")))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("INT64");
    assertThatThrownBy(
            () ->
                store()
                    .writeRows(
                        "driver_hourly_stats",
                        List.of(
                            row(
                                driver(1),
                                Map.of("bogus", FeatureValue.ofInt64(1)),
                                now.plusSeconds(10)))))
        .isInstanceOf(UnknownFeatureException.class);
    assertThatThrownBy(
            () ->
                store()
                    .writeRows(
                        "driver_hourly_stats",
                        List.of(
                            row(
                                driver(1),
                                Map.of("avg_daily_trips", FeatureValue.ofInt64(500)),
                                now.plusSeconds(10)),
                            row(
                                driver(2),
                                Map.of("avg_daily_trips", FeatureValue.ofString("x")),
                                now.plusSeconds(10)))))
        .isInstanceOf(InvalidRequestException.class);
    // Nothing of the rejected batch was stored, not even its valid first row.
    assertThat(
            store()
                .get(List.of("driver_hourly_stats:avg_daily_trips"), List.of(driver(1)))
                .value(0, 0))
        .isEqualTo(FeatureValue.ofInt64(10));
  }

  @Test
  void manyEntities_allAnsweredInOrder() {
    List<FeatureRow> rows = new java.util.ArrayList<>();
    List<Map<String, FeatureValue>> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(row(driver(i), Map.of("avg_daily_trips", FeatureValue.ofInt64(i * 10L)), now));
      keys.add(driver(i));
    }
    assertThat(store().writeRows("driver_hourly_stats", rows)).isEqualTo(100);
    OnlineFeatures r =
        store().get(List.of("driver_hourly_stats:avg_daily_trips", "driver_extras:rating"), keys);
    for (int i = 0; i < 100; i++) {
      assertThat(r.value(i, 0)).isEqualTo(FeatureValue.ofInt64(i * 10L));
      assertThat(r.status(i, 1)).isEqualTo(FieldStatus.NOT_FOUND);
    }
  }

  @Test
  void wideRequest_readsTheWholeHash_withTheSameAnswers() {
    Map<String, FeatureValue> wide = new java.util.LinkedHashMap<>();
    List<String> refs = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      wide.put("w" + i, FeatureValue.ofInt64(i * 11L));
      refs.add("customer_wide:w" + i);
    }
    refs.add("customer_profile:name");
    refs.add("customer_profile:tags");
    refs.add("customer_wide:w3"); // asked twice: both places get it
    store().writeRows("customer_wide", List.of(row(customer("c1"), wide, now)));
    store()
        .writeRows(
            "customer_profile",
            List.of(row(customer("c1"), Map.of("name", FeatureValue.ofString("Ann")), now)));
    OnlineFeatures r = store().get(refs, List.of(customer("c1"), customer("ghost")));
    for (int i = 0; i < 8; i++) {
      assertThat(r.value(0, i)).isEqualTo(FeatureValue.ofInt64(i * 11L));
      assertThat(r.status(0, i)).isEqualTo(FieldStatus.PRESENT);
      assertThat(r.status(1, i)).isEqualTo(FieldStatus.NOT_FOUND);
    }
    assertThat(r.value(0, 8)).isEqualTo(FeatureValue.ofString("Ann"));
    assertThat(r.status(0, 9)).isEqualTo(FieldStatus.NULL_VALUE);
    assertThat(r.eventTime(0, 9)).isEqualTo(now);
    assertThat(r.value(0, 10)).isEqualTo(FeatureValue.ofInt64(33L));
    assertThat(r.status(1, 10)).isEqualTo(FieldStatus.NOT_FOUND);
  }
}
