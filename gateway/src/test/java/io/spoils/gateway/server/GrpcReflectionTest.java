package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.CallOptions;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.testing.DefaultTrees;
import io.vertx.core.Vertx;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Server reflection as grpcurl uses it, through a grpc-java client: list the services, then
 * describe them from the file descriptors the server returns (no proto files on the client).
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class GrpcReflectionTest {

  private static XgbTreeGrader trees;
  private GatedServer server;

  @BeforeAll
  static void load(XgbTreeGrader defaultTrees) {
    trees = defaultTrees;
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** One reflection stream: each request in order, then the half-close; all the responses. */
  private List<ServerReflectionResponse> reflect(String service,
      List<ServerReflectionRequest> requests) throws Exception {
    var method = io.grpc.MethodDescriptor.<ServerReflectionRequest, ServerReflectionResponse>newBuilder()
        .setType(io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING)
        .setFullMethodName(service + "/ServerReflectionInfo")
        .setRequestMarshaller(ProtoUtils.marshaller(ServerReflectionRequest.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(
            ServerReflectionResponse.getDefaultInstance()))
        .build();
    List<ServerReflectionResponse> responses = new ArrayList<>();
    CompletableFuture<List<ServerReflectionResponse>> done = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> out = ClientCalls.asyncBidiStreamingCall(
        server.channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)),
        new StreamObserver<>() {
          @Override
          public synchronized void onNext(ServerReflectionResponse r) {
            responses.add(r);
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public synchronized void onCompleted() {
            done.complete(List.copyOf(responses));
          }
        });
    requests.forEach(out::onNext);
    out.onCompleted();
    return done.get(30, TimeUnit.SECONDS);
  }

  /** Builds the returned files (dependencies first, as a client without proto files must). */
  private static Map<String, FileDescriptor> files(ServerReflectionResponse response)
      throws Exception {
    Map<String, FileDescriptorProto> protos = new HashMap<>();
    for (ByteString bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      FileDescriptorProto p = FileDescriptorProto.parseFrom(bytes);
      protos.put(p.getName(), p);
    }
    Map<String, FileDescriptor> built = new HashMap<>();
    for (String name : protos.keySet()) {
      build(name, protos, built);
    }
    return built;
  }

  private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
      Map<String, FileDescriptor> built) throws Exception {
    if (built.containsKey(name)) {
      return built.get(name);
    }
    FileDescriptorProto proto = protos.get(name);
    assertTrue(proto != null, "the server returned no descriptor for dependency " + name);
    List<FileDescriptor> deps = new ArrayList<>();
    for (String dep : proto.getDependencyList()) {
      deps.add(build(dep, protos, built));
    }
    FileDescriptor file = FileDescriptor.buildFrom(proto, deps.toArray(new FileDescriptor[0]));
    built.put(name, file);
    return file;
  }

  private static ServiceDescriptor service(Map<String, FileDescriptor> files, String fullName) {
    return files.values().stream().flatMap(f -> f.getServices().stream())
        .filter(s -> s.getFullName().equals(fullName)).findFirst()
        .orElseThrow(() -> new AssertionError(fullName + " not described"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection"})
  void reflection_listAndDescribe_withoutProtoFiles(String reflection, Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees);
    List<ServerReflectionResponse> responses = reflect(reflection, List.of(
        ServerReflectionRequest.newBuilder().setListServices("*").build(),
        ServerReflectionRequest.newBuilder()
            .setFileContainingSymbol("spoils.v1.AnalysisService").build(),
        ServerReflectionRequest.newBuilder()
            .setFileContainingSymbol("grpc.health.v1.Health").build(),
        ServerReflectionRequest.newBuilder()
            .setFileContainingSymbol("spoils.v1.NoSuchService").build(),
        ServerReflectionRequest.newBuilder()
            .setFileByFilename("spoils/v1/events.proto").build()));
    // one answer per request on one stream, a miss included
    assertEquals(5, responses.size());
    assertEquals(5, responses.get(3).getErrorResponse().getErrorCode(), "NOT_FOUND");
    assertTrue(files(responses.get(4)).get("spoils/v1/events.proto")
        .findMessageTypeByName("AnalysisEvent") != null);
    List<String> services = responses.get(0).getListServicesResponse().getServiceList().stream()
        .map(s -> s.getName()).toList();
    assertTrue(services.containsAll(List.of("spoils.v1.AnalysisService", "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection")), services.toString());

    ServiceDescriptor analysis = service(files(responses.get(1)), "spoils.v1.AnalysisService");
    assertEquals(List.of("Analyze", "AnalyzeUpload", "ListModels"),
        analysis.getMethods().stream().map(MethodDescriptor::getName).toList());
    MethodDescriptor upload = analysis.findMethodByName("AnalyzeUpload");
    assertTrue(upload.isClientStreaming() && upload.isServerStreaming());
    assertEquals("spoils.v1.UploadRequest", upload.getInputType().getFullName());
    // the event messages resolve through the returned dependencies (events.proto, common.proto)
    assertTrue(upload.getOutputType().findFieldByName("disc") != null);

    ServiceDescriptor health = service(files(responses.get(2)), "grpc.health.v1.Health");
    MethodDescriptor check = health.findMethodByName("Check");
    assertEquals("grpc.health.v1.HealthCheckResponse", check.getOutputType().getFullName());
    assertEquals(List.of("UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"),
        check.getOutputType().getEnumTypes().get(0).getValues().stream()
            .map(v -> v.getName()).toList());
  }
}
