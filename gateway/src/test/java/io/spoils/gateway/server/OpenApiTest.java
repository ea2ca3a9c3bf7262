package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.failure.Failure;
import io.spoils.gateway.ingest.ReceivedAnalyses;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.ListModelsResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAPI document ({@code GET /v1/openapi.json}) against the server that serves it: it
 * parses as OpenAPI 3.1 with every reference resolvable, it lists exactly the routes the server
 * registers (path templates included), its event schemas follow the proto descriptors, and real
 * responses validate against its schemas (JSON Schema 2020-12, vertx-json-schema).
 *
 * <p>The server is {@link HttpEndpoints} on a real socket with a {@link ReceivedAnalyses} store
 * that the tests fill with real analysis events (what the C-STORE listener would record), so that
 * {@code GET /v1/received} has entries in every state to answer with.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class OpenApiTest {

  private static final String BASE = "https://spoils.invalid/openapi.json";
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options",
      "head", "patch", "trace");

  private static XgbTreeGrader trees;
  private static byte[] slice;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();
  private final ReceivedAnalyses store = new ReceivedAnalyses(10);
  private HttpServer server;
  private JsonObject doc;

  @BeforeAll
  static void load(XgbTreeGrader defaultTrees) throws Exception {
    trees = defaultTrees;
    slice = TestDicom.example();
  }

  private void start(Vertx vertx) throws Exception {
    ServerOptions options = ServerOptions.defaults().withHost("127.0.0.1").withPort(0);
    AnalysisService service = new AnalysisService(vertx, new ExampleBackend(), "test", trees,
        options);
    server = SpoilsServerTest.await(vertx.createHttpServer(new HttpServerOptions()
            .setMaxFormFields(HttpEndpoints.maxFormFields(options)))
        .requestHandler(new HttpEndpoints(service, new ReceivedRoutes(store)))
        .listen(0, "127.0.0.1"));
    HttpResponse<String> response = get("/v1/openapi.json");
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    doc = new JsonObject(response.body());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      SpoilsServerTest.await(server.close());
    }
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + pathAndQuery);
  }

  private HttpRequest.Builder post(String pathAndQuery, byte[] body) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(java.time.Duration.ofSeconds(60))
        .header("Content-Type", "application/dicom")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).timeout(java.time.Duration.ofSeconds(30))
        .build());
  }

  /**
   * Fills the store as the C-STORE listener would: a done analysis with the events of a real one,
   * a failed series and one still arriving. Returns the done one's id.
   */
  private String received() throws Exception {
    HttpResponse<String> ndjson = send(post("/v1/analyses", slice).build());
    assertEquals(200, ndjson.statusCode(), ndjson.body());
    String done = store.open();
    store.fileReceived(done);
    store.analysing(done);
    for (String line : ndjson.body().split("\n")) {
      AnalysisEvent.Builder event = AnalysisEvent.newBuilder();
      JsonFormat.parser().merge(line, event);
      store.event(done, event.build());
    }
    store.done(done);
    String failed = store.open();
    store.fileReceived(failed);
    store.failed(failed, Failure.of(new InvalidInputException("no sagittal series")));
    store.fileReceived(store.open());
    return done;
  }

  /** Submits the example with Prefer: respond-async and waits for its end; its 202 body. */
  private JsonObject submitted() throws Exception {
    HttpResponse<String> accepted = send(post("/v1/analyses?odi=45&nrs=7", slice)
        .header("Prefer", "respond-async").build());
    assertEquals(202, accepted.statusCode(), accepted.body());
    JsonObject body = new JsonObject(accepted.body());
    assertEquals(200, get(body.getString("events")).statusCode()); // ends after the summary
    return body;
  }

  @Test
  void openApi_servedDocument_isOpenApi31WithResolvableReferences(Vertx vertx) throws Exception {
    start(vertx);
    assertTrue(doc.getString("openapi").startsWith("3.1."), doc.getString("openapi"));
    assertNotNull(doc.getJsonObject("info").getString("title"));
    assertNotNull(doc.getJsonObject("info").getString("version"));
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertTrue(refs.size() > 20, "refs: " + refs.size());
    for (String ref : refs) {
      assertTrue(ref.startsWith("#/"), ref);
      assertNotNull(pointer(doc, ref.substring(1)), "unresolvable $ref " + ref);
    }
    Set<String> ids = new HashSet<>();
    operations(doc).forEach(op -> {
      JsonObject operation = doc.getJsonObject("paths").getJsonObject(op.path())
          .getJsonObject(op.method().name().toLowerCase(java.util.Locale.ROOT));
      assertTrue(ids.add(operation.getString("operationId")), "duplicate operationId " + op);
      assertTrue(!operation.getJsonObject("responses").isEmpty(), "no responses: " + op);
    });
    // every component schema compiles as JSON Schema 2020-12
    SchemaRepository repo = repository();
    for (String name : doc.getJsonObject("components").getJsonObject("schemas").fieldNames()) {
      repo.validator(JsonSchema.of(new JsonObject().put("$ref",
          BASE + "#/components/schemas/" + name)), options());
    }
  }

  @Test
  void openApi_paths_matchRoutesTheServerRegisters(Vertx vertx) throws Exception {
    start(vertx);
    String id = received();
    String kept = submitted().getString("id");
    Set<String> documented = new TreeSet<>();
    operations(doc).forEach(r -> documented.add(r.method() + " " + r.path()));
    Set<String> registered = new TreeSet<>();
    List<HttpEndpoints.Route> routes = new HttpEndpoints(null,
        new ReceivedRoutes(null)).routes();
    routes.forEach(r -> registered.add(r.method() + " " + r.path()));
    assertEquals(registered, documented);
    assertTrue(documented.contains("GET /v1/received/{id}"), documented.toString());
    // and the server really answers each one (not 404 or 405), templates filled in
    for (HttpEndpoints.Route r : operations(doc)) {
      String path = r.path().replace("{id}", r.path().startsWith("/v1/analyses/") ? kept : id)
          .replace("{file}", "viewer.js");
      assertEquals(List.of(r), routes.stream().filter(x -> x.method() == r.method()
          && x.matches(path)).toList(), path + " must match exactly its own route");
      HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
      if (r.method() == HttpMethod.POST) {
        b.header("Content-Type", "application/dicom")
            .POST(HttpRequest.BodyPublishers.ofByteArray(slice));
      }
      int status = send(b.build()).statusCode();
      assertTrue(status != 404 && status != 405, r + " answered " + status);
      assertTrue(responses(r).containsKey(Integer.toString(status)), r + " answered undocumented "
          + status);
    }
    HttpResponse<String> wrong = send(HttpRequest.newBuilder(uri("/v1/models")).DELETE().build());
    SpoilsServerTest.assertProblem(wrong, 405);
    assertEquals("GET", wrong.headers().firstValue("Allow").orElse(""));
    HttpResponse<String> wrongTemplate = send(HttpRequest.newBuilder(uri("/v1/received/" + id))
        .DELETE().build());
    SpoilsServerTest.assertProblem(wrongTemplate, 405);
    assertEquals("GET", wrongTemplate.headers().firstValue("Allow").orElse(""));
    // a template matches one whole non-empty segment, nothing more
    SpoilsServerTest.assertProblem(get("/v1/received/" + id + "/more"), 404);
    SpoilsServerTest.assertProblem(get("/v1/received/"), 404);
  }

  @Test
  void openApi_receivedRoutes_documentedWithPathParameterAndNotFound(Vertx vertx)
      throws Exception {
    start(vertx);
    JsonObject path = doc.getJsonObject("paths").getJsonObject("/v1/received/{id}");
    JsonObject parameter = path.getJsonArray("parameters").getJsonObject(0);
    assertEquals("id", parameter.getString("name"));
    assertEquals("path", parameter.getString("in"));
    assertTrue(parameter.getBoolean("required"));
    HttpResponse<String> unknown = get("/v1/received/no-such-id");
    SpoilsServerTest.assertProblem(unknown, 404);
    assertTrue(responses(new HttpEndpoints.Route(HttpMethod.GET, "/v1/received/{id}"))
        .containsKey("404"));
    valid(repository(), "Problem", new JsonObject(unknown.body()));
  }

  @Test
  void openApi_componentSchemas_followProtoDescriptors(Vertx vertx) throws Exception {
    start(vertx);
    JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
    ProtoSchemas.reachable(AnalysisEvent.getDescriptor(), ListModelsResponse.getDescriptor())
        .forEach((name, expected) -> assertEquals(expected,
            ProtoSchemas.withoutProse(schemas.getJsonObject(name)),
            "components.schemas." + name + " differs from the proto; regenerate it with "
                + "ProtoSchemas.main"));
  }

  @Test
  void openApi_realResponses_validateAgainstSchemas(Vertx vertx) throws Exception {
    start(vertx);
    SchemaRepository repo = repository();
    HttpResponse<String> ndjson = send(post(
        "/v1/analyses?odi=45&nrs=7&include_mask=true&max_contributions=3", slice).build());
    assertEquals(200, ndjson.statusCode());
    for (String line : ndjson.body().split("\n")) {
      valid(repo, "NdjsonLine", new JsonObject(line));
    }
    HttpResponse<String> sse = send(post("/v1/analyses", slice)
        .header("Accept", "text/event-stream").build());
    SseReader reader = new SseReader(sse.body().lines().iterator());
    int events = 0;
    for (SseReader.Event e = reader.next(); e != null; e = reader.next(), events++) {
      valid(repo, "ServerSentEvent", new JsonObject().put("event", e.event()).put("id", e.id())
          .put("data", e.data()));
      valid(repo, "AnalysisEvent", e.json());
    }
    assertTrue(events >= 4, "events: " + events);
    HttpResponse<String> problem = send(post("/v1/analyses?odi=400&nrs=1", slice).build());
    valid(repo, "Problem", new JsonObject(problem.body()));
    valid(repo, "ListModelsResponse", new JsonObject(get("/v1/models").body()));
    valid(repo, "Health", new JsonObject(get("/health/ready").body()));
    JsonObject submitted = submitted();
    valid(repo, "SubmittedAnalysis", submitted);
    valid(repo, "RetainedAnalysis", new JsonObject(get(submitted.getString("status")).body()));
    String id = received();
    JsonObject list = new JsonObject(get("/v1/received").body());
    valid(repo, "ReceivedAnalysisList", list);
    assertEquals(List.of("receiving", "failed", "done"), list.getJsonArray("analyses").stream()
        .map(e -> ((JsonObject) e).getString("state")).toList());
    HttpResponse<String> one = get("/v1/received/" + id);
    assertEquals(200, one.statusCode(), one.body());
    valid(repo, "ReceivedAnalysisDetail", new JsonObject(one.body()));
    for (Object entry : list.getJsonArray("analyses")) {
      String each = ((JsonObject) entry).getString("id");
      valid(repo, "ReceivedAnalysisDetail", new JsonObject(get("/v1/received/" + each).body()));
    }
    // and the schemas do reject what they should
    OutputUnit wrong = repo.validator(ref("AnalysisEvent"), options())
        .validate(new JsonObject().put("sequence", 1).put("disc", new JsonObject()
            .put("pfirrmannGrade", 3).put("noSuchField", 1)));
    assertTrue(!wrong.getValid(), "an unknown field passed");
    JsonObject listed = list.getJsonArray("analyses").getJsonObject(2);
    assertTrue(!repo.validator(ref("ReceivedAnalysis"), options())
        .validate(listed.copy().put("events", new JsonArray())).getValid(), "events in a list");
    assertTrue(!repo.validator(ref("ReceivedAnalysisDetail"), options()).validate(listed)
        .getValid(), "a detail without events passed");
    assertTrue(!repo.validator(ref("ReceivedAnalysisList"), options()).validate(new JsonObject()
        .put("analyses", new JsonArray().add(listed.copy().put("state", "DONE")))).getValid(),
        "an unknown state passed");
  }

  private JsonObject responses(HttpEndpoints.Route r) {
    return doc.getJsonObject("paths").getJsonObject(r.path())
        .getJsonObject(r.method().name().toLowerCase(java.util.Locale.ROOT))
        .getJsonObject("responses");
  }

  private static void valid(SchemaRepository repo, String schema, Object json) {
    OutputUnit out = repo.validator(ref(schema), options()).validate(json);
    assertTrue(out.getValid(), schema + ": " + out.toJson().encode() + " for " + json);
  }

  private static JsonSchema ref(String schema) {
    return JsonSchema.of(new JsonObject().put("$ref", BASE + "#/components/schemas/" + schema));
  }

  private static JsonSchemaOptions options() {
    return new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE)
        .setOutputFormat(OutputFormat.Basic);
  }

  private SchemaRepository repository() {
    SchemaRepository repo = SchemaRepository.create(options());
    repo.dereference(BASE, JsonSchema.of(doc));
    return repo;
  }

  /** The documented operations as routes. */
  private static List<HttpEndpoints.Route> operations(JsonObject doc) {
    List<HttpEndpoints.Route> out = new ArrayList<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (METHODS.contains(method)) {
          out.add(new HttpEndpoints.Route(HttpMethod.valueOf(method.toUpperCase(
              java.util.Locale.ROOT)), path));
        }
      }
    }
    return out;
  }

  private static void collectRefs(Object node, List<String> out) {
    if (node instanceof JsonObject o) {
      for (String k : o.fieldNames()) {
        if (k.equals("$ref")) {
          out.add(o.getString(k));
        } else {
          collectRefs(o.getValue(k), out);
        }
      }
    } else if (node instanceof JsonArray a) {
      a.forEach(v -> collectRefs(v, out));
    }
  }

  /** The node at an RFC 6901 pointer, or null. */
  private static Object pointer(JsonObject root, String pointer) {
    Object node = root;
    for (String token : pointer.substring(1).split("/")) {
      String key = token.replace("~1", "/").replace("~0", "~");
      if (!(node instanceof JsonObject o) || !o.containsKey(key)) {
        return null;
      }
      node = o.getValue(key);
    }
    return node;
  }
}
