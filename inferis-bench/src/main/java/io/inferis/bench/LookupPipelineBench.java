package io.inferis.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.server.feast.FeastHttpApi;
import io.inferis.server.feast.FeastOnline;
import io.inferis.server.feast.JsonBody;
import io.inferis.server.feast.Statuses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a {@code /get-online-features} request costs the server between the transport's bytes and
 * the answer's: the body read, the plan, the in-memory store, the answer rendered, in one thread
 * and without I/O. Against the wire bench's HTTP rows it says how much of a request's CPU is the
 * lookup's own work and how much HTTP and Redis I/O (docs/BENCHMARKS.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class LookupPipelineBench {

  /** Entities per request: (a) one, (b) a hundred (with 10 features each, as the wire bench). */
  @Param({"a", "b"})
  public String scenario;

  private final ObjectMapper json = new ObjectMapper();
  private FeatureStore store;
  private FeastHttpApi api;
  private byte[] body;

  @Setup
  public void start() {
    store = FeatureStores.memory(BenchData.repo(), HttpServerPath.options());
    BenchData.load(store);
    api = new FeastHttpApi(new FeastOnline(store, null, 1000, 1000), Statuses.PYTHON);
    WireScenario sc = WireScenario.named(scenario);
    StringBuilder ids = new StringBuilder();
    for (int i = 0; i < sc.entities(); i++) {
      ids.append(i == 0 ? "" : ",").append(i * 7 % BenchData.ENTITIES);
    }
    body =
        ("{\"features\":[\""
                + String.join("\",\"", sc.refs())
                + "\"],\"entities\":{\"driver_id\":["
                + ids
                + "]}}")
            .getBytes(StandardCharsets.UTF_8);
  }

  @TearDown
  public void stop() {
    store.close();
  }

  @Benchmark
  public byte[] lookup() {
    return api.getOnlineFeatures(new Body(body), Runnable::run).join();
  }

  /** The request's bytes, as the server hands them to the API. */
  private final class Body implements JsonBody {
    private final byte[] raw;

    Body(byte[] raw) {
      this.raw = raw;
    }

    @Override
    public JsonNode tree() {
      try {
        return json.readTree(raw);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public JsonParser parser() throws IOException {
      return json.createParser(raw);
    }
  }
}
