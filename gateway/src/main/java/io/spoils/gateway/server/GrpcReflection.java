package io.spoils.gateway.server;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.reflection.v1.ErrorResponse;
import io.vertx.grpc.reflection.v1.ExtensionNumberResponse;
import io.vertx.grpc.reflection.v1.FileDescriptorResponse;
import io.vertx.grpc.reflection.v1.ListServiceResponse;
import io.vertx.grpc.reflection.v1.ServerReflectionProto;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.reflection.v1.ServiceResponse;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * gRPC server reflection, so that tools (grpcurl, grpcui, Postman) list and describe the services
 * without proto files: {@code grpc.reflection.v1.ServerReflection} and the older
 * {@code grpc.reflection.v1alpha.ServerReflection} (the same messages field for field, still the
 * first choice of many tools). It describes every service added with {@link GrpcServer#addService}
 * from its protobuf descriptors.
 *
 * <p>Served here rather than by Vert.x 5.0.7's {@code ReflectionService}, which ends the stream
 * after its first answer: a reflection stream answers each request in turn and ends when the
 * client half-closes, and a lookup that finds nothing is an {@code error_response} on the stream
 * (NOT_FOUND), not the end of the call.
 */
final class GrpcReflection {

  static final ServiceName V1 = ServiceName.create("grpc.reflection.v1.ServerReflection");
  static final ServiceName V1ALPHA = ServiceName.create("grpc.reflection.v1alpha.ServerReflection");

  private final GrpcServer server;

  private GrpcReflection(GrpcServer server) {
    this.server = server;
  }

  /** Adds both reflection services to {@code server}. */
  static void register(GrpcServer server) {
    GrpcReflection reflection = new GrpcReflection(server);
    server.addService(Service.service(V1,
            ServerReflectionProto.getDescriptor().findServiceByName("ServerReflection"))
        .bind(method(V1), reflection::handle).build());
    server.callHandler(method(V1ALPHA), reflection::handle);
  }

  private static ServiceMethod<ServerReflectionRequest, ServerReflectionResponse> method(
      ServiceName service) {
    return ServiceMethod.server(service, "ServerReflectionInfo", GrpcMessageEncoder.encoder(),
        GrpcMessageDecoder.decoder(ServerReflectionRequest.newBuilder()));
  }

  private void handle(GrpcServerRequest<ServerReflectionRequest, ServerReflectionResponse> call) {
    call.handler(request -> call.response().write(answer(request)));
    call.endHandler(v -> call.response().end());
  }

  ServerReflectionResponse answer(ServerReflectionRequest request) {
    ServerReflectionResponse.Builder out = ServerReflectionResponse.newBuilder()
        .setValidHost(request.getHost()).setOriginalRequest(request);
    Index index = new Index(server.services());
    switch (request.getMessageRequestCase()) {
      case LIST_SERVICES -> out.setListServicesResponse(services());
      case FILE_BY_FILENAME -> file(out, index.files.get(request.getFileByFilename()));
      case FILE_CONTAINING_SYMBOL -> file(out,
          index.symbols.get(request.getFileContainingSymbol()));
      case FILE_CONTAINING_EXTENSION -> file(out, index.extensions.get(
          request.getFileContainingExtension().getContainingType() + "#"
              + request.getFileContainingExtension().getExtensionNumber()));
      case ALL_EXTENSION_NUMBERS_OF_TYPE -> {
        String type = request.getAllExtensionNumbersOfType();
        if (index.symbols.containsKey(type)) {
          out.setAllExtensionNumbersResponse(index.extensionNumbers(type));
        }
      }
      default -> { }
    }
    if (out.getMessageResponseCase()
        == ServerReflectionResponse.MessageResponseCase.MESSAGERESPONSE_NOT_SET) {
      out.setErrorResponse(ErrorResponse.newBuilder().setErrorCode(GrpcStatus.NOT_FOUND.code)
          .setErrorMessage("not found: " + request.getMessageRequestCase().name()
              .toLowerCase(java.util.Locale.ROOT)));
    }
    return out.build();
  }

  private ListServiceResponse services() {
    ListServiceResponse.Builder list = ListServiceResponse.newBuilder();
    server.services().forEach(s -> list.addService(ServiceResponse.newBuilder()
        .setName(s.name().fullyQualifiedName())));
    return list.build();
  }

  /** Answers with {@code file} and its imports; nothing when there is no such file. */
  private static void file(ServerReflectionResponse.Builder out, FileDescriptor file) {
    if (file != null) {
      out.setFileDescriptorResponse(withDependencies(file));
    }
  }

  /** {@code file} first, then every file it imports, directly or not, each once. */
  private static FileDescriptorResponse withDependencies(FileDescriptor file) {
    FileDescriptorResponse.Builder out = FileDescriptorResponse.newBuilder();
    Map<String, FileDescriptor> seen = new LinkedHashMap<>();
    Deque<FileDescriptor> todo = new ArrayDeque<>(List.of(file));
    while (!todo.isEmpty()) {
      FileDescriptor f = todo.poll();
      if (seen.putIfAbsent(f.getName(), f) == null) {
        out.addFileDescriptorProto(f.toProto().toByteString());
        todo.addAll(f.getDependencies());
      }
    }
    return out.build();
  }

  /** Every file reachable from the services, by name, symbol and extension. */
  private static final class Index {
    final Map<String, FileDescriptor> files = new TreeMap<>();
    final Map<String, FileDescriptor> symbols = new TreeMap<>();
    /** Keyed {@code containingType#number}. */
    final Map<String, FileDescriptor> extensions = new TreeMap<>();

    Index(List<Service> services) {
      Deque<FileDescriptor> todo = new ArrayDeque<>();
      services.forEach(s -> todo.add(s.descriptor().getFile()));
      while (!todo.isEmpty()) {
        FileDescriptor f = todo.poll();
        if (files.putIfAbsent(f.getName(), f) == null) {
          add(f);
          todo.addAll(f.getDependencies());
        }
      }
    }

    private void add(FileDescriptor f) {
      for (ServiceDescriptor s : f.getServices()) {
        symbols.put(s.getFullName(), f);
        s.getMethods().forEach(m -> symbols.put(m.getFullName(), f));
      }
      f.getMessageTypes().forEach(m -> message(m, f));
      f.getEnumTypes().forEach(e -> symbols.put(e.getFullName(), f));
      f.getExtensions().forEach(x -> extension(x, f));
    }

    private void message(Descriptor m, FileDescriptor f) {
      symbols.put(m.getFullName(), f);
      m.getNestedTypes().forEach(n -> message(n, f));
      for (EnumDescriptor e : m.getEnumTypes()) {
        symbols.put(e.getFullName(), f);
      }
      m.getExtensions().forEach(x -> extension(x, f));
    }

    ExtensionNumberResponse extensionNumbers(String type) {
      ExtensionNumberResponse.Builder numbers = ExtensionNumberResponse.newBuilder()
          .setBaseTypeName(type);
      extensions.keySet().stream().filter(k -> k.startsWith(type + "#"))
          .forEach(k -> numbers.addExtensionNumber(Integer.parseInt(
              k.substring(type.length() + 1))));
      return numbers.build();
    }

    private void extension(FieldDescriptor x, FileDescriptor f) {
      symbols.put(x.getFullName(), f);
      extensions.put(x.getContainingType().getFullName() + "#" + x.getNumber(), f);
    }
  }
}
