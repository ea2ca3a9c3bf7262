package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.MessageLite;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.ListModelsRequest;
import io.spoils.proto.v1.ListModelsResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * gRPC-Web as a browser speaks it: HTTP/1.1 POST, {@code application/grpc-web+proto},
 * length-prefixed message frames, the status in a final trailers frame (flag 0x80). Sent with the
 * Vert.x HTTP client and decoded by hand.
 */
class GrpcWebTest extends GatedServerTestBase {

  private static final String TYPE = "application/grpc-web+proto";

  /** A decoded gRPC-Web response body: the message frames and the trailers. */
  record WebResponse(HttpClientResponse http, List<byte[]> messages,
      Map<String, String> trailers) { }

  /** One call over a fresh HTTP/1.1 client ({@link GatedServer#awaitOnContext}). */
  private WebResponse call(Vertx vertx, String method, MessageLite request) throws Exception {
    byte[] message = request.toByteArray();
    Buffer body = Buffer.buffer().appendByte((byte) 0).appendInt(message.length)
        .appendBytes(message);
    var client = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_1_1));
    HttpClientResponse[] http = new HttpClientResponse[1];
    try {
      Buffer answer = GatedServer.awaitOnContext(vertx, () -> client.request(HttpMethod.POST,
              server.port(), "127.0.0.1", "/spoils.v1.AnalysisService/" + method)
          .compose(req -> req.putHeader("Content-Type", TYPE).putHeader("X-Grpc-Web", "1")
              .send(body))
          .compose(r -> {
            http[0] = r;
            return r.body();
          }));
      return decode(http[0], answer);
    } finally {
      GatedServer.await(client.close());
    }
  }

  private static WebResponse decode(HttpClientResponse http, Buffer body) {
    List<byte[]> messages = new ArrayList<>();
    Map<String, String> trailers = new LinkedHashMap<>();
    int at = 0;
    while (at < body.length()) {
      byte flags = body.getByte(at);
      int length = body.getInt(at + 1);
      byte[] payload = body.getBytes(at + 5, at + 5 + length);
      at += 5 + length;
      if ((flags & 0x80) == 0) {
        messages.add(payload);
        continue;
      }
      for (String line : new String(payload, StandardCharsets.US_ASCII).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          trailers.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
              line.substring(colon + 1).trim());
        }
      }
    }
    return new WebResponse(http, messages, trailers);
  }

  @Test
  void grpcWeb_listModels_messageThenOkTrailers(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);
    WebResponse r = call(vertx, "ListModels", ListModelsRequest.getDefaultInstance());
    assertEquals(200, r.http().statusCode());
    assertTrue(r.http().getHeader("Content-Type").startsWith("application/grpc-web"),
        r.http().getHeader("Content-Type"));
    assertEquals(1, r.messages().size());
    assertEquals(3, ListModelsResponse.parseFrom(r.messages().get(0)).getModelsCount());
    assertEquals("0", r.trailers().get("grpc-status"), r.trailers().toString());
  }

  @Test
  void grpcWeb_analyze_streamsEventsToSummary(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);
    WebResponse r = call(vertx, "Analyze", GatedServer.request(slice));
    assertEquals("0", r.trailers().get("grpc-status"), r.trailers().toString());
    List<AnalysisEvent> events = new ArrayList<>();
    for (byte[] m : r.messages()) {
      events.add(AnalysisEvent.parseFrom(m));
    }
    assertTrue(events.get(0).hasAccepted());
    assertTrue(events.stream().anyMatch(AnalysisEvent::hasDisc));
    assertTrue(events.get(events.size() - 1).hasSummary());
    for (int i = 0; i < events.size(); i++) {
      assertEquals(i + 1, events.get(i).getSequence(), "events arrive in order");
    }
  }

  @Test
  void grpcWeb_badStudy_invalidArgumentInTrailers(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);
    WebResponse r = call(vertx, "Analyze", GatedServer.request("not DICOM".getBytes()));
    assertEquals(0, r.messages().size());
    String status = r.trailers().getOrDefault("grpc-status",
        r.http().getHeader("grpc-status"));
    assertEquals("3", status, "INVALID_ARGUMENT");
  }
}
