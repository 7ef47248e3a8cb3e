package io.inferis.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.inferis.feast.FeastJson;
import io.inferis.feast.Timestamps;
import io.inferis.feast.ValueCodec;
import io.inferis.features.EntityDef;
import io.inferis.features.FeatureStore;
import io.inferis.registry.RealFeast;
import io.inferis.server.feast.JsonInputs;
import io.inferis.server.feast.Statuses;
import io.inferis.server.grpc.proto.FeatureList;
import io.inferis.server.grpc.proto.GetOnlineFeaturesRequest;
import io.inferis.server.grpc.proto.GetOnlineFeaturesResponse;
import io.inferis.server.grpc.proto.PushRequest;
import io.inferis.server.grpc.proto.PushResponse;
import io.inferis.server.grpc.proto.RepeatedValue;
import io.inferis.server.grpc.proto.Value;
import io.inferis.server.grpc.proto.WriteToOnlineStoreRequest;
import io.inferis.server.grpc.proto.WriteToOnlineStoreResponse;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 11 lookups recorded from the real {@code feast listen} (Feast's Python gRPC server), replayed
 * against inferis's gRPC server on the same repository and Redis bytes, through both services
 * ({@code GrpcFeatureServer} and {@code feast.serving.ServingService}): with {@code --statuses
 * python} every answer equals Feast's, column by column (values, statuses, timestamps). And the
 * read requests recorded from Feast's HTTP server, sent over gRPC, answer the values Feast's HTTP
 * server answered, also after the recorded push and write are sent over gRPC.
 */
class FeastGrpcReplayTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private GoldenGrpc golden;
  private FeatureStore store;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    golden = new GoldenGrpc(redis.get(), tmp, b -> b.statuses(Statuses.PYTHON), c -> c);
    store = golden.store;
    channel = golden.channel;
  }

  @AfterEach
  void stop() throws Exception {
    golden.close();
  }

  private GetOnlineFeaturesResponse call(String service, GetOnlineFeaturesRequest request) {
    return ClientCalls.blockingUnaryCall(
        channel,
        FeastGrpcMethods.Client.getOnlineFeatures(service),
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
        request);
  }

  @Test
  void everyRecordedGrpcLookup_isAnsweredAsFeastListenAnswered_byBothServices() throws Exception {
    JsonNode index = JSON.readTree(RealFeast.bytes("golden/grpc/index.json"));
    assertThat(index).hasSize(11);
    for (JsonNode c : index) {
      GetOnlineFeaturesRequest request =
          GetOnlineFeaturesRequest.parseFrom(
              RealFeast.bytes("golden/grpc/" + c.get("request").asText()));
      GetOnlineFeaturesResponse expected =
          GetOnlineFeaturesResponse.parseFrom(
              RealFeast.bytes("golden/grpc/" + c.get("response").asText()));
      for (String service :
          List.of(FeastGrpcMethods.FEATURE_SERVER, FeastGrpcMethods.SERVING_SERVICE)) {
        GetOnlineFeaturesResponse actual = call(service, request);
        String what = c.get("name").asText() + " via " + service;
        assertThat(columns(actual)).as(what).isEqualTo(columns(expected));
        assertThat(actual.getStatus()).as(what).isEqualTo(expected.getStatus());
      }
    }
  }

  @Test
  void theRecordedHttpReads_sentOverGrpc_answerTheValuesFeastsHttpServerAnswered()
      throws Exception {
    int compared = 0;
    for (JsonNode c : JSON.readTree(RealFeast.bytes("golden/http/index.json"))) {
      if (c.get("path").asText().equals("/get-online-features")
          && c.get("status").asInt() == 200
          && !c.get("name").asText().startsWith("read_after_writes")) {
        assertAnswersAsHttp(c);
        compared++;
      }
    }
    assertThat(compared).isEqualTo(11);
  }

  @Test
  void aPushAndAWriteOverGrpc_thenReadsAnswerWhatFeastAnsweredAfterItsOwnPushAndWrite()
      throws Exception {
    // The push and write Feast's HTTP server was sent (golden 17, 18), as gRPC requests: the push
    // as texts, the write as typed values.
    PushResponse pushed =
        ClientCalls.blockingUnaryCall(
            channel,
            FeastGrpcMethods.Client.PUSH,
            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
            PushRequest.newBuilder()
                .setStreamFeatureView("driver_stats_push")
                .setTo("online")
                .putFeatures("driver_id", "2001")
                .putFeatures("conv_rate", "0.75")
                .putFeatures("acc_rate", "0.5")
                .putFeatures("avg_daily_trips", "3")
                .putFeatures("rank", "2")
                .putFeatures("name", "pushed")
                .putFeatures("active", "true")
                .putFeatures("event_timestamp", "2026-11-21T08:00:00+00:00")
                .putFeatures("created", "2026-11-21T08:00:00+00:00")
                .build());
    assertThat(pushed.getStatus()).isTrue();
    WriteToOnlineStoreResponse written =
        ClientCalls.blockingUnaryCall(
            channel,
            FeastGrpcMethods.Client.WRITE_TO_ONLINE_STORE,
            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
            WriteToOnlineStoreRequest.newBuilder()
                .setFeatureViewName("customer_stats")
                .putTypedFeatures("customer_id", Value.newBuilder().setStringVal("c-003").build())
                .putTypedFeatures("lifetime_value", Value.newBuilder().setDoubleVal(10.25).build())
                .putTypedFeatures("segment", Value.newBuilder().setStringVal("silver").build())
                .putTypedFeatures("orders", Value.newBuilder().setInt64Val(3).build())
                .putTypedFeatures(
                    "event_timestamp",
                    Value.newBuilder().setStringVal("2026-11-21T09:00:00+00:00").build())
                .build());
    assertThat(written.getStatus()).isTrue();

    int compared = 0;
    for (JsonNode c : JSON.readTree(RealFeast.bytes("golden/http/index.json"))) {
      if (c.get("name").asText().startsWith("read_after_writes")) {
        assertAnswersAsHttp(c);
        compared++;
      }
    }
    assertThat(compared).isEqualTo(2);
  }

  /** Recorded HTTP case {@code c}, sent over gRPC, answers Feast's HTTP columns. */
  private void assertAnswersAsHttp(JsonNode c) throws Exception {
    Map<String, EntityDef> entities = new LinkedHashMap<>();
    golden.registry.get().repo().entities().forEach(e -> entities.put(e.joinKey(), e));
    JsonNode body = json("golden/http/" + c.get("request_file").asText());
    JsonNode answer = json("golden/http/" + c.get("response_file").asText());
    GetOnlineFeaturesResponse actual =
        call(FeastGrpcMethods.FEATURE_SERVER, request(body, entities));
    Map<String, FeatureVector> got = columns(actual);
    JsonNode names = answer.at("/metadata/feature_names");
    assertThat(got.keySet()).as(c.get("name").asText()).hasSameSizeAs(names);
    for (int i = 0; i < names.size(); i++) {
      String what = c.get("name").asText() + " column " + names.get(i).asText();
      FeatureVector column = got.get(names.get(i).asText());
      JsonNode want = answer.at("/results/" + i);
      assertThat(column).as(what).isNotNull();
      assertThat(column.valuesAsJson()).as(what).isEqualTo(want.get("values"));
      assertThat(column.statuses()).as(what).isEqualTo(texts(want.get("statuses")));
      assertThat(column.times()).as(what).isEqualTo(texts(want.get("event_timestamps")));
    }
  }

  private static JsonNode json(String resource) throws Exception {
    return JSON.readTree(new String(RealFeast.bytes(resource), StandardCharsets.UTF_8));
  }

  private static List<String> texts(JsonNode array) {
    return JSON.convertValue(
        array, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
  }

  /** An HTTP request body as the gRPC request Feast's SDK would send. */
  private static GetOnlineFeaturesRequest request(JsonNode body, Map<String, EntityDef> entities)
      throws Exception {
    GetOnlineFeaturesRequest.Builder b = GetOnlineFeaturesRequest.newBuilder();
    if (body.hasNonNull("feature_service")) {
      b.setFeatureService(body.get("feature_service").asText());
    } else {
      FeatureList.Builder f = FeatureList.newBuilder();
      body.get("features").forEach(n -> f.addVal(n.asText()));
      b.setFeatures(f);
    }
    b.setFullFeatureNames(body.path("full_feature_names").asBoolean(false));
    for (Iterator<Map.Entry<String, JsonNode>> it = body.get("entities").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      EntityDef entity = entities.get(e.getKey());
      RepeatedValue.Builder column = RepeatedValue.newBuilder();
      for (JsonNode cell : e.getValue()) {
        column.addVal(
            entity == null
                ? Value.newBuilder().setStringVal(cell.asText()).build()
                : Value.parseFrom(
                    ValueCodec.encode(JsonInputs.value(cell, entity.type(), e.getKey()))));
      }
      b.putEntities(e.getKey(), column.build());
    }
    return b.build();
  }

  /** One answered column: its values, statuses and times. */
  private record FeatureVector(List<Value> values, List<String> statuses, List<String> times) {
    /** The values as Feast's HTTP server writes them. */
    JsonNode valuesAsJson() throws Exception {
      StringWriter w = new StringWriter();
      try (JsonGenerator g = JSON.getFactory().createGenerator(w)) {
        g.writeStartArray();
        for (Value v : values) {
          FeastJson.writeValue(g, ValueCodec.decode(v.toByteArray()));
        }
        g.writeEndArray();
      }
      return JSON.readTree(w.toString());
    }
  }

  /** An answer's columns by name. */
  private static Map<String, FeatureVector> columns(GetOnlineFeaturesResponse r) {
    Map<String, FeatureVector> out = new LinkedHashMap<>();
    List<String> names = r.getMetadata().getFeatureNames().getValList();
    assertThat(r.getResultsCount()).isEqualTo(names.size());
    for (int i = 0; i < names.size(); i++) {
      GetOnlineFeaturesResponse.FeatureVector v = r.getResults(i);
      out.put(
          names.get(i),
          new FeatureVector(
              v.getValuesList(),
              v.getStatusesList().stream().map(Enum::name).toList(),
              v.getEventTimestampsList().stream().map(FeastGrpcReplayTest::format).toList()));
    }
    return out;
  }

  private static String format(Timestamp t) {
    return Timestamps.format(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()));
  }
}
