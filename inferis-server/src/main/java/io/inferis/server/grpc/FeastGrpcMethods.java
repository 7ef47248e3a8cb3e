package io.inferis.server.grpc;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import io.grpc.protobuf.ProtoUtils;
import io.inferis.server.grpc.proto.GetFeastServingInfoRequest;
import io.inferis.server.grpc.proto.GetFeastServingInfoResponse;
import io.inferis.server.grpc.proto.GetOnlineFeaturesRequest;
import io.inferis.server.grpc.proto.GetOnlineFeaturesResponse;
import io.inferis.server.grpc.proto.GrpcServerProto;
import io.inferis.server.grpc.proto.PushRequest;
import io.inferis.server.grpc.proto.PushResponse;
import io.inferis.server.grpc.proto.ServingProto;
import io.inferis.server.grpc.proto.WriteToOnlineStoreRequest;
import io.inferis.server.grpc.proto.WriteToOnlineStoreResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The methods of Feast's two gRPC services, built from the protos' descriptors without generated
 * stubs. The server's methods take and answer bytes ({@link #raw}): it parses requests itself, so a
 * malformed one is a client error, and writes {@code GetOnlineFeatures}'s answer straight from the
 * result ({@link OnlineResponse}). {@link Client} holds the same methods with the generated message
 * types, for Java clients and tests.
 */
public final class FeastGrpcMethods {

  /** Feast's Go server and Java client's service. */
  public static final String SERVING_SERVICE = "feast.serving.ServingService";

  /**
   * The service of Feast's Python gRPC server. Feast's proto declares no package, so this is its
   * whole name.
   */
  public static final String FEATURE_SERVER = "GrpcFeatureServer";

  /**
   * {@link #FEATURE_SERVER} under the package its messages' neighbours live in, which some clients
   * written from Feast's docs call; served as an alias.
   */
  public static final String FEATURE_SERVER_ALIAS = "feast.serving.GrpcFeatureServer";

  private FeastGrpcMethods() {}

  /**
   * Bytes as they are. Written with one copy ({@link Drainable}, {@link KnownLength}), read with
   * one array of the message's length: a plain {@code InputStream} made gRPC copy a byte at a time
   * and {@code readAllBytes} grow 8 KiB buffers, 26% of the server's gRPC loop time together.
   */
  public static final Marshaller<byte[]> BYTES =
      new Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new BytesStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            if (stream instanceof KnownLength) {
              int length = stream.available();
              byte[] bytes = new byte[length];
              if (stream.readNBytes(bytes, 0, length) == length && stream.read() < 0) {
                return bytes;
              }
              throw new IOException("the message is not " + length + " bytes long");
            }
            return stream.readAllBytes();
          } catch (IOException e) {
            throw Status.INTERNAL
                .withDescription("cannot read the message: " + e.getMessage())
                .asRuntimeException();
          }
        }
      };

  /** An array as gRPC reads a message it can write in one go. */
  private static final class BytesStream extends ByteArrayInputStream
      implements Drainable, KnownLength {

    BytesStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = count - pos;
      target.write(buf, pos, n);
      pos = count;
      return n;
    }
  }

  static <Q extends Message, R> MethodDescriptor<Q, R> unary(
      String service, String method, Q request, Marshaller<R> response) {
    return MethodDescriptor.<Q, R>newBuilder()
        .setType(MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
        .setRequestMarshaller(ProtoUtils.marshaller(request))
        .setResponseMarshaller(response)
        .setSampledToLocalTracing(true)
        .build();
  }

  /** {@code service/method} taking and answering bytes: the server parses and writes itself. */
  static MethodDescriptor<byte[], byte[]> raw(String service, String method) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .setSampledToLocalTracing(true)
        .build();
  }

  /** The descriptor reflection shows for {@code service}, from the proto file that declares it. */
  static ProtoServiceDescriptorSupplier schema(String service) {
    Descriptors.FileDescriptor file =
        service.equals(SERVING_SERVICE)
            ? ServingProto.getDescriptor()
            : GrpcServerProto.getDescriptor();
    String simple = service.substring(service.lastIndexOf('.') + 1);
    return new ProtoServiceDescriptorSupplier() {
      @Override
      public Descriptors.FileDescriptor getFileDescriptor() {
        return file;
      }

      @Override
      public Descriptors.ServiceDescriptor getServiceDescriptor() {
        return file.findServiceByName(simple);
      }
    };
  }

  /** Both services' methods with generated request and response types: for clients. */
  public static final class Client {

    private Client() {}

    /** {@code feast.serving.ServingService/GetFeastServingInfo}. */
    public static final MethodDescriptor<GetFeastServingInfoRequest, GetFeastServingInfoResponse>
        GET_FEAST_SERVING_INFO =
            unary(
                SERVING_SERVICE,
                "GetFeastServingInfo",
                GetFeastServingInfoRequest.getDefaultInstance(),
                ProtoUtils.marshaller(GetFeastServingInfoResponse.getDefaultInstance()));

    /** {@code service/GetOnlineFeatures}, for either service's name. */
    public static MethodDescriptor<GetOnlineFeaturesRequest, GetOnlineFeaturesResponse>
        getOnlineFeatures(String service) {
      return unary(
          service,
          "GetOnlineFeatures",
          GetOnlineFeaturesRequest.getDefaultInstance(),
          ProtoUtils.marshaller(GetOnlineFeaturesResponse.getDefaultInstance()));
    }

    /** {@code GrpcFeatureServer/Push}. */
    public static final MethodDescriptor<PushRequest, PushResponse> PUSH =
        unary(
            FEATURE_SERVER,
            "Push",
            PushRequest.getDefaultInstance(),
            ProtoUtils.marshaller(PushResponse.getDefaultInstance()));

    /** {@code GrpcFeatureServer/WriteToOnlineStore}. */
    public static final MethodDescriptor<WriteToOnlineStoreRequest, WriteToOnlineStoreResponse>
        WRITE_TO_ONLINE_STORE =
            unary(
                FEATURE_SERVER,
                "WriteToOnlineStore",
                WriteToOnlineStoreRequest.getDefaultInstance(),
                ProtoUtils.marshaller(WriteToOnlineStoreResponse.getDefaultInstance()));
  }

  /** A service descriptor named {@code service} holding {@code methods}, with its schema. */
  static ServiceDescriptor service(String service, MethodDescriptor<?, ?>... methods) {
    ServiceDescriptor.Builder b = ServiceDescriptor.newBuilder(service);
    if (!service.equals(FEATURE_SERVER_ALIAS)) {
      // The alias has no proto of its own; reflection lists the services Feast declares.
      b.setSchemaDescriptor(schema(service));
    }
    for (MethodDescriptor<?, ?> m : methods) {
      b.addMethod(m);
    }
    return b.build();
  }
}
