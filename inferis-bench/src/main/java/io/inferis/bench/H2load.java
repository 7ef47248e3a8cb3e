package io.inferis.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code h2load} (Debian's {@code nghttp2-client}) sending one gRPC unary call over and over: one
 * thread, 4 connections of 16 streams each (64 in flight, as the other clients). A client in C: the
 * Java gRPC client spends more CPU per call than the server it measures, on the same two cores.
 *
 * <p>h2load judges an answer by its HTTP status, and gRPC answers every call with 200 and puts its
 * own status in the trailers: the caller checks gRPC's codes on the server's meters.
 */
final class H2load {

  /** What a run did: calls answered per second, their mean latency, h2load's CPU per call. */
  record Result(double perSecond, double meanMs, double clientMicros, long succeeded) {}

  /** Connections, and streams in flight on each. */
  private static final int CONNECTIONS = 4;

  private static final int STREAMS = 16;

  /** The most calls in flight: those h2load leaves unanswered when its time is up. */
  static final int IN_FLIGHT = CONNECTIONS * STREAMS;

  private H2load() {}

  /**
   * Calls {@code fullMethod} ({@code service/method}) on {@code hostPort} for {@code seconds}, each
   * call carrying {@code message} (a serialized request).
   */
  static Result grpc(String hostPort, String fullMethod, byte[] message, double seconds)
      throws IOException, InterruptedException {
    Path body = Files.createTempFile("inferis-h2load", ".grpc");
    try {
      Files.write(body, frame(message));
      return parse(
          ToolRun.of(
              "h2load",
              List.of(
                  "-t1",
                  "-c" + CONNECTIONS,
                  "-m" + STREAMS,
                  "-D" + (int) Math.ceil(seconds),
                  "-d",
                  body.toString(),
                  "-H",
                  "content-type: application/grpc",
                  "-H",
                  "te: trailers",
                  "http://" + hostPort + "/" + fullMethod)));
    } finally {
      Files.deleteIfExists(body);
    }
  }

  /** gRPC's length-prefixed message: a zero byte (not compressed), the length, the bytes. */
  static byte[] frame(byte[] message) throws IOException {
    ByteArrayOutputStream framed = new ByteArrayOutputStream(message.length + 5);
    DataOutputStream out = new DataOutputStream(framed);
    out.writeByte(0);
    out.writeInt(message.length);
    out.write(message);
    return framed.toByteArray();
  }

  private static Result parse(ToolRun run) {
    String out = run.out();
    Matcher rate = Pattern.compile("finished in [0-9.]+s, ([0-9.]+) req/s").matcher(out);
    Matcher done =
        Pattern.compile("requests: \\d+ total, \\d+ started, \\d+ done, (\\d+) succeeded, (\\d+)")
            .matcher(out);
    Matcher time =
        Pattern.compile("time for request:\\s+\\S+\\s+\\S+\\s+([0-9.]+)(us|ms|s)\\s").matcher(out);
    if (!rate.find() || !done.find() || !time.find() || Double.isNaN(run.cpuSeconds())) {
      throw new IllegalStateException("h2load failed:\n" + out);
    }
    if (Long.parseLong(done.group(2)) > 0) {
      throw new IllegalStateException("h2load saw failed requests:\n" + out);
    }
    double perSecond = Double.parseDouble(rate.group(1));
    long succeeded = Long.parseLong(done.group(1));
    return new Result(
        perSecond,
        ToolRun.millis(time.group(1), time.group(2)),
        run.cpuSeconds() * 1e6 / Math.max(1, succeeded),
        succeeded);
  }
}
