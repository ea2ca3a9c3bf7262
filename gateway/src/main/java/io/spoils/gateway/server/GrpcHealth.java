package io.spoils.gateway.server;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.Descriptors;
import io.spoils.gateway.service.AnalysisService;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;
import java.io.IOException;
import java.util.Set;

/**
 * {@code grpc.health.v1.Health/Check} (the standard gRPC health protocol), encoded by hand: its two
 * messages have one field each, which spares a dependency on grpc-services. Service {@code ""} or
 * {@code spoils.v1.AnalysisService}: SERVING once the models are loaded, else NOT_SERVING; any
 * other service: NOT_FOUND, as the protocol asks. {@code Watch} is not served (UNIMPLEMENTED).
 */
final class GrpcHealth {

  static final ServiceMethod<Buffer, Buffer> CHECK = ServiceMethod.server(
      ServiceName.create("grpc.health.v1.Health"), "Check", GrpcMessageEncoder.IDENTITY,
      GrpcMessageDecoder.IDENTITY);
  /** HealthCheckResponse.ServingStatus values. */
  static final int SERVING = 1;
  static final int NOT_SERVING = 2;

  /** Field 1, wire type 2 (length-delimited). */
  private static final int SERVICE_TAG = (1 << 3) | 2;
  private static final Set<String> SERVICES = Set.of("", "spoils.v1.AnalysisService");

  private final AnalysisService service;

  GrpcHealth(AnalysisService service) {
    this.service = service;
  }

  void register(GrpcServer server) {
    server.addService(Service.service(CHECK.serviceName(), FILE.findServiceByName("Health"))
        .bind(CHECK, this::check).build());
  }

  /**
   * The descriptor of {@code grpc/health/v1/health.proto} as served here (for reflection): the
   * standard messages and {@code Check}; {@code Watch} is left out because it is not served.
   */
  static final Descriptors.FileDescriptor FILE = healthProto();

  private static Descriptors.FileDescriptor healthProto() {
    String pkg = ".grpc.health.v1.";
    var status = DescriptorProtos.EnumDescriptorProto.newBuilder().setName("ServingStatus");
    String[] names = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};
    for (int i = 0; i < names.length; i++) {
      status.addValue(DescriptorProtos.EnumValueDescriptorProto.newBuilder().setName(names[i])
          .setNumber(i));
    }
    var file = DescriptorProtos.FileDescriptorProto.newBuilder()
        .setName("grpc/health/v1/health.proto").setPackage("grpc.health.v1").setSyntax("proto3")
        .addMessageType(DescriptorProtos.DescriptorProto.newBuilder().setName("HealthCheckRequest")
            .addField(field("service", DescriptorProtos.FieldDescriptorProto.Type.TYPE_STRING)))
        .addMessageType(DescriptorProtos.DescriptorProto.newBuilder().setName("HealthCheckResponse")
            .addEnumType(status)
            .addField(field("status", DescriptorProtos.FieldDescriptorProto.Type.TYPE_ENUM)
                .setTypeName(pkg + "HealthCheckResponse.ServingStatus")))
        .addService(DescriptorProtos.ServiceDescriptorProto.newBuilder().setName("Health")
            .addMethod(DescriptorProtos.MethodDescriptorProto.newBuilder().setName("Check")
                .setInputType(pkg + "HealthCheckRequest")
                .setOutputType(pkg + "HealthCheckResponse")));
    try {
      return Descriptors.FileDescriptor.buildFrom(file.build(), new Descriptors.FileDescriptor[0]);
    } catch (Descriptors.DescriptorValidationException e) {
      throw new IllegalStateException("health.proto descriptor", e);
    }
  }

  private static DescriptorProtos.FieldDescriptorProto.Builder field(String name,
      DescriptorProtos.FieldDescriptorProto.Type type) {
    return DescriptorProtos.FieldDescriptorProto.newBuilder().setName(name).setNumber(1)
        .setJsonName(name).setType(type)
        .setLabel(DescriptorProtos.FieldDescriptorProto.Label.LABEL_OPTIONAL);
  }

  private void check(GrpcServerRequest<Buffer, Buffer> call) {
    call.handler(request -> {
      String name;
      try {
        name = serviceName(request.getBytes());
      } catch (IOException e) {
        call.response().status(GrpcStatus.INVALID_ARGUMENT)
            .statusMessage("malformed HealthCheckRequest").end();
        return;
      }
      if (!SERVICES.contains(name)) {
        call.response().status(GrpcStatus.NOT_FOUND).statusMessage("unknown service").end();
        return;
      }
      int status = service.ready().succeeded() ? SERVING : NOT_SERVING;
      call.response().end(Buffer.buffer(new byte[] {0x08, (byte) status}));
    });
  }

  /** Field 1 (string service) of a HealthCheckRequest; other fields are skipped. */
  static String serviceName(byte[] message) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(message);
    String name = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == SERVICE_TAG) {
        name = in.readStringRequireUtf8();
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    return name;
  }
}
