package io.spoils.gateway.server;

import io.vertx.core.Handler;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.reflection.ReflectionService;
import io.vertx.grpc.reflection.v1.ServerReflectionRequest;
import io.vertx.grpc.reflection.v1.ServerReflectionResponse;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicReference;

/**
 * gRPC server reflection, so that tools (grpcurl, grpcui, Postman) list and describe the services
 * without proto files: {@code grpc.reflection.v1.ServerReflection} (Vert.x's
 * {@link ReflectionService}, which describes every service added with
 * {@link GrpcServer#addService}) and the older {@code grpc.reflection.v1alpha.ServerReflection},
 * which many tools still ask for first. The two protocols are the same messages field for field,
 * so v1alpha is served by the same Vert.x handler under the old name.
 */
final class GrpcReflection {

  static final ServiceMethod<ServerReflectionRequest, ServerReflectionResponse> V1ALPHA =
      ServiceMethod.server(ServiceName.create("grpc.reflection.v1alpha.ServerReflection"),
          "ServerReflectionInfo", GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(ServerReflectionRequest.newBuilder()));

  private GrpcReflection() {}

  /** Adds both reflection services to {@code server}; call after the reflected services. */
  static void register(GrpcServer server) {
    ReflectionService v1 = ReflectionService.v1();
    server.addService(v1);
    server.callHandler(V1ALPHA, handlerOf(v1, server));
  }

  /**
   * The handler {@code service} binds, captured by binding it to a stand-in server that forwards
   * everything else (notably {@code services()}, which the handler reads per request) to
   * {@code server}.
   */
  @SuppressWarnings("unchecked")
  private static Handler<GrpcServerRequest<ServerReflectionRequest, ServerReflectionResponse>>
      handlerOf(ReflectionService service, GrpcServer server) {
    AtomicReference<Object> captured = new AtomicReference<>();
    GrpcServer standIn = (GrpcServer) Proxy.newProxyInstance(GrpcServer.class.getClassLoader(),
        new Class<?>[] {GrpcServer.class}, (proxy, method, args) -> {
          if (method.getName().equals("callHandler") && args != null && args.length == 2) {
            captured.set(args[1]);
            return proxy;
          }
          return method.invoke(server, args);
        });
    service.bind(standIn);
    if (captured.get() == null) {
      throw new IllegalStateException("Vert.x's reflection service bound no handler");
    }
    return (Handler<GrpcServerRequest<ServerReflectionRequest, ServerReflectionResponse>>)
        captured.get();
  }
}
