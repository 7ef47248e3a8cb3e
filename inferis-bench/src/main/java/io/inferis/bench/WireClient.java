package io.inferis.bench;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.inferis.feast.FeatureValue;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.redis.RedisConnector;
import io.inferis.server.grpc.FeastGrpcMethods;
import io.inferis.server.grpc.proto.FeatureList;
import io.inferis.server.grpc.proto.GetOnlineFeaturesRequest;
import io.inferis.server.grpc.proto.RepeatedValue;
import io.inferis.server.grpc.proto.Value;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One client of {@link WireLoad}, in a JVM of its own so that the server's JVM measures only the
 * server: direct {@code getOnlineFeatures} calls on a store of its own, gRPC {@code
 * GetOnlineFeatures} over a fixed number of channels, or HTTP {@code /get-online-features} over
 * Vert.x's client. Requests are made before the run (a pool of 1,000, each naming random drivers)
 * and answers are not parsed, so the client spends little CPU beside the server. Closed loop
 * ({@code --concurrency} in flight) or paced ({@code --rate}: requests leave on a fixed schedule
 * and latency counts from the scheduled time, so a stall is not hidden). Prints one {@code WIRE}
 * line: requests, seconds, p50 and p99 in µs, this JVM's CPU per request, errors.
 */
public final class WireClient {

  private WireClient() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new Cli()).execute(args));
  }

  @Command(name = "WireClient", mixinStandardHelpOptions = true)
  private static final class Cli implements Callable<Integer> {
    @Option(names = "--path", required = true, description = "direct, grpc or http")
    String path;

    @Option(names = "--target", required = true, description = "Redis URI, or host:port")
    String target;

    @Option(names = "--scenario", defaultValue = "a", description = "a or b")
    String scenario;

    @Option(names = "--seconds", defaultValue = "8")
    double seconds;

    @Option(names = "--warmup", defaultValue = "3")
    double warmup;

    @Option(names = "--concurrency", defaultValue = "64")
    int concurrency;

    @Option(names = "--channels", defaultValue = "2", description = "gRPC channels")
    int channels;

    @Option(names = "--rate", defaultValue = "0", description = "paced requests/s; 0: closed loop")
    double rate;

    @Override
    public Integer call() throws Exception {
      WireScenario sc = WireScenario.named(scenario);
      try (Target t = target(sc)) {
        Measured m =
            rate > 0 ? paced(t, rate, warmup, seconds) : closed(t, concurrency, warmup, seconds);
        System.out.printf(
            "WIRE requests=%d seconds=%.3f p50us=%d p99us=%d cpuus=%.2f errors=%d first=%s%n",
            m.requests,
            m.seconds,
            m.p50Micros,
            m.p99Micros,
            m.cpuNanos / 1e3 / Math.max(1, m.requests),
            m.errors,
            m.firstError == null ? "-" : m.firstError.toString().replace(' ', '_'));
      }
      return 0;
    }

    private Target target(WireScenario sc) {
      return switch (path) {
        case "direct" -> new Direct(target, sc);
        case "grpc" -> new Grpc(target, sc, channels);
        case "http" -> new Http(target, sc, concurrency);
        default ->
            throw new CommandLine.ParameterException(new CommandLine(this), "--path " + path);
      };
    }
  }

  /** What a run measured. */
  private record Measured(
      long requests,
      double seconds,
      long p50Micros,
      long p99Micros,
      long cpuNanos,
      long errors,
      Throwable firstError) {}

  /** Something to send requests to. */
  private interface Target extends AutoCloseable {
    CompletableFuture<?> send(int i);

    @Override
    void close();
  }

  /** What the loops share: latencies, counters, phase. */
  private static final class Stats {
    final Recorder recorder = new Recorder(3);
    final AtomicBoolean measuring = new AtomicBoolean();
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong done = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicReference<Throwable> first = new AtomicReference<>();

    void count(long startNanos, Throwable error) {
      if (error != null) {
        errors.incrementAndGet();
        first.compareAndSet(null, error);
      } else if (measuring.get()) {
        recorder.recordValue(Math.max(1, (System.nanoTime() - startNanos) / 1000));
        done.incrementAndGet();
      }
    }

    Measured measure(double warmup, double seconds, Runnable stop) throws InterruptedException {
      Thread.sleep((long) (warmup * 1000));
      recorder.reset();
      measuring.set(true);
      long cpu = cpuNanos();
      long start = System.nanoTime();
      // The parent measures its server's CPU between these two lines.
      System.out.println("MEASURING");
      System.out.flush();
      Thread.sleep((long) (seconds * 1000));
      measuring.set(false);
      System.out.println("MEASURED");
      System.out.flush();
      long elapsed = System.nanoTime() - start;
      long used = cpuNanos() - cpu;
      stop.run();
      var h = recorder.getIntervalHistogram();
      return new Measured(
          done.get(),
          elapsed / 1e9,
          h.getValueAtPercentile(50),
          h.getValueAtPercentile(99),
          used,
          errors.get(),
          first.get());
    }
  }

  private static Measured closed(Target t, int users, double warmup, double seconds)
      throws Exception {
    Stats stats = new Stats();
    CountDownLatch stopped = new CountDownLatch(users);
    AtomicLong next = new AtomicLong();
    for (int u = 0; u < users; u++) {
      new Runnable() {
        @Override
        public void run() {
          while (true) {
            if (!stats.running.get()) {
              stopped.countDown();
              return;
            }
            long start = System.nanoTime();
            CompletableFuture<?> f = t.send((int) next.getAndIncrement());
            if (!f.isDone()) {
              f.whenComplete(
                  (v, e) -> {
                    stats.count(start, e);
                    run();
                  });
              return;
            }
            stats.count(start, f.isCompletedExceptionally() ? f.handle((v, e) -> e).join() : null);
          }
        }
      }.run();
    }
    return stats.measure(
        warmup,
        seconds,
        () -> {
          stats.running.set(false);
          awaitQuietly(stopped);
        });
  }

  private static Measured paced(Target t, double rate, double warmup, double seconds)
      throws Exception {
    Stats stats = new Stats();
    Semaphore outstanding = new Semaphore(10_000);
    Thread sender =
        new Thread(
            () -> {
              long period = (long) (1e9 / rate);
              long intended = System.nanoTime();
              for (int i = 0; stats.running.get(); i++) {
                intended += period;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                  LockSupport.parkNanos(wait);
                }
                if (!outstanding.tryAcquire()) {
                  stats.count(intended, new IllegalStateException("10,000 requests outstanding"));
                  continue;
                }
                long start = intended;
                t.send(i)
                    .whenComplete(
                        (v, e) -> {
                          outstanding.release();
                          stats.count(start, e);
                        });
              }
            },
            "paced-sender");
    sender.start();
    return stats.measure(
        warmup,
        seconds,
        () -> {
          stats.running.set(false);
          try {
            sender.join();
            outstanding.tryAcquire(10_000, 30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** 1,000 made-up requests of a scenario, each naming random drivers. */
  private static <T> List<T> pool(WireScenario sc, java.util.function.Function<int[], T> make) {
    SplittableRandom random = new SplittableRandom(17);
    List<T> out = new ArrayList<>(1000);
    for (int i = 0; i < 1000; i++) {
      int[] ids = new int[sc.entities()];
      for (int e = 0; e < ids.length; e++) {
        ids[e] = random.nextInt(BenchData.ENTITIES);
      }
      out.add(make.apply(ids));
    }
    return out;
  }

  private static final class Direct implements Target {
    private final RedisConnector connector;
    private final FeatureStore store;
    private final WireScenario sc;
    private final List<List<Map<String, FeatureValue>>> rows;

    Direct(String redisUri, WireScenario sc) {
      this.sc = sc;
      this.connector = RedisConnector.connect(redisUri);
      this.store =
          FeatureStores.redis(
              BenchData.repo(),
              connector,
              FeatureStoreOptions.builder()
                  .inFlightLimit(256)
                  .requestDeadline(Duration.ofSeconds(30))
                  .build());
      this.rows =
          pool(
              sc,
              ids -> {
                List<Map<String, FeatureValue>> r = new ArrayList<>();
                for (int id : ids) {
                  r.add(Map.of("driver_id", FeatureValue.ofInt64(id)));
                }
                return r;
              });
    }

    @Override
    public CompletableFuture<?> send(int i) {
      return store.getOnlineFeatures(sc.refs(), rows.get(i % rows.size()));
    }

    @Override
    public void close() {
      store.close();
      connector.close();
    }
  }

  /** A serialized {@code GetOnlineFeaturesRequest} for {@code sc}'s features and these drivers. */
  static byte[] grpcRequest(WireScenario sc, int[] ids) {
    RepeatedValue.Builder column = RepeatedValue.newBuilder();
    for (int id : ids) {
      column.addVal(Value.newBuilder().setInt64Val(id));
    }
    return GetOnlineFeaturesRequest.newBuilder()
        .setFeatures(FeatureList.newBuilder().addAllVal(sc.refs()))
        .putEntities("driver_id", column.build())
        .build()
        .toByteArray();
  }

  private static final class Grpc implements Target {
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<byte[]> requests;
    private final MethodDescriptor<byte[], byte[]> method =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(
                MethodDescriptor.generateFullMethodName(
                    FeastGrpcMethods.FEATURE_SERVER, "GetOnlineFeatures"))
            .setRequestMarshaller(FeastGrpcMethods.BYTES)
            .setResponseMarshaller(FeastGrpcMethods.BYTES)
            .build();

    Grpc(String hostPort, WireScenario sc, int channelCount) {
      String[] hp = hostPort.split(":");
      for (int c = 0; c < channelCount; c++) {
        channels.add(
            ManagedChannelBuilder.forAddress(hp[0], Integer.parseInt(hp[1]))
                .usePlaintext()
                // Completions run on the transport's thread, as the server's handlers do.
                .directExecutor()
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build());
      }
      this.requests = pool(sc, ids -> grpcRequest(sc, ids));
    }

    @Override
    public CompletableFuture<?> send(int i) {
      CompletableFuture<byte[]> f = new CompletableFuture<>();
      ClientCalls.asyncUnaryCall(
          channels
              .get(i % channels.size())
              .newCall(method, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)),
          requests.get(i % requests.size()),
          new StreamObserver<>() {
            @Override
            public void onNext(byte[] value) {
              f.complete(value);
            }

            @Override
            public void onError(Throwable t) {
              f.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {}
          });
      return f;
    }

    @Override
    public void close() {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }

  private static final class Http implements Target {
    private final Vertx vertx = Vertx.vertx();
    private final HttpClientAgent client;
    private final RequestOptions options;
    private final List<Buffer> bodies;

    Http(String hostPort, WireScenario sc, int connections) {
      String[] hp = hostPort.split(":");
      this.client =
          vertx.createHttpClient(
              new HttpClientOptions().setKeepAlive(true),
              new PoolOptions().setHttp1MaxSize(connections));
      this.options =
          new RequestOptions()
              .setMethod(HttpMethod.POST)
              .setHost(hp[0])
              .setPort(Integer.parseInt(hp[1]))
              .setURI("/get-online-features")
              .putHeader("Content-Type", "application/json");
      String features = "[\"" + String.join("\",\"", sc.refs()) + "\"]";
      this.bodies =
          pool(
              sc,
              ids -> {
                StringBuilder b =
                    new StringBuilder("{\"features\":")
                        .append(features)
                        .append(",\"entities\":{\"driver_id\":[");
                for (int e = 0; e < ids.length; e++) {
                  b.append(e == 0 ? "" : ",").append(ids[e]);
                }
                return Buffer.buffer(b.append("]}}").toString());
              });
    }

    @Override
    public CompletableFuture<?> send(int i) {
      Buffer body = bodies.get(i % bodies.size());
      return client
          .request(options)
          .compose(req -> req.send(body))
          .compose(
              resp ->
                  resp.body()
                      .map(
                          b -> {
                            if (resp.statusCode() != 200) {
                              throw new IllegalStateException(
                                  resp.statusCode() + " " + b.toString());
                            }
                            return b;
                          }))
          .toCompletionStage()
          .toCompletableFuture();
    }

    @Override
    public void close() {
      client.close();
      vertx.close();
    }
  }
}
