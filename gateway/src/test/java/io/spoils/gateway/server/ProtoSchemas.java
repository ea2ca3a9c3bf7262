package io.spoils.gateway.server;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of proto messages in protobuf's JSON mapping,
 * derived from their descriptors: what {@code JsonFormat.printer()} writes. The OpenAPI test
 * compares the document's component schemas with these, so a proto change that the document does
 * not follow fails the build. Run {@link #main} to print the schemas for pasting into the document.
 */
final class ProtoSchemas {

  private ProtoSchemas() {}

  /** Schemas of {@code roots} and of every message and enum they reach, by simple name. */
  static Map<String, JsonObject> reachable(Descriptor... roots) {
    Map<String, JsonObject> out = new TreeMap<>();
    for (Descriptor d : roots) {
      add(d, out);
    }
    return out;
  }

  /**
   * Floating-point values in the proto3 JSON mapping: a number, or one of the strings
   * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
   */
  private static JsonObject floating(String format) {
    return new JsonObject().put("anyOf", new JsonArray()
        .add(new JsonObject().put("type", "number").put("format", format))
        .add(new JsonObject().put("type", "string")
            .put("enum", new JsonArray().add("NaN").add("Infinity").add("-Infinity"))));
  }

  private static void add(Descriptor message, Map<String, JsonObject> out) {
    out.putIfAbsent("Double", floating("double"));
    out.putIfAbsent("Float", floating("float"));
    if (out.containsKey(message.getName())) {
      return;
    }
    out.put(message.getName(), new JsonObject());
    JsonObject properties = new JsonObject();
    for (FieldDescriptor f : message.getFields()) {
      JsonObject one = single(f, out);
      properties.put(f.getJsonName(), f.isRepeated()
          ? new JsonObject().put("type", "array").put("items", one) : one);
    }
    JsonObject schema = new JsonObject().put("type", "object").put("properties", properties)
        .put("additionalProperties", false);
    JsonArray oneOf = new JsonArray();
    for (OneofDescriptor o : message.getRealOneofs()) {
      for (FieldDescriptor f : o.getFields()) {
        oneOf.add(new JsonObject().put("required", new JsonArray().add(f.getJsonName())));
      }
    }
    if (!oneOf.isEmpty()) {
      schema.put("oneOf", oneOf);
    }
    out.put(message.getName(), schema);
  }

  private static JsonObject single(FieldDescriptor f, Map<String, JsonObject> out) {
    return switch (f.getJavaType()) {
      case INT -> new JsonObject().put("type", "integer").put("format", "int32");
      case LONG -> new JsonObject().put("type", "string").put("format", "int64");
      case FLOAT -> ref("Float");
      case DOUBLE -> ref("Double");
      case BOOLEAN -> new JsonObject().put("type", "boolean");
      case STRING -> new JsonObject().put("type", "string");
      case BYTE_STRING -> new JsonObject().put("type", "string").put("contentEncoding", "base64");
      case ENUM -> {
        addEnum(f.getEnumType(), out);
        yield ref(f.getEnumType().getName());
      }
      case MESSAGE -> {
        add(f.getMessageType(), out);
        yield ref(f.getMessageType().getName());
      }
    };
  }

  private static void addEnum(EnumDescriptor e, Map<String, JsonObject> out) {
    JsonArray names = new JsonArray();
    e.getValues().forEach(v -> names.add(v.getName()));
    out.putIfAbsent(e.getName(), new JsonObject().put("type", "string").put("enum", names));
  }

  private static JsonObject ref(String name) {
    return new JsonObject().put("$ref", "#/components/schemas/" + name);
  }

  /** {@code schema} without its {@code description}, {@code title} and {@code examples}, deeply. */
  static Object withoutProse(Object schema) {
    if (schema instanceof JsonObject o) {
      JsonObject copy = new JsonObject();
      for (String k : o.fieldNames()) {
        if (!k.equals("description") && !k.equals("title") && !k.equals("examples")) {
          copy.put(k, withoutProse(o.getValue(k)));
        }
      }
      return copy;
    }
    if (schema instanceof JsonArray a) {
      JsonArray copy = new JsonArray();
      a.forEach(v -> copy.add(withoutProse(v)));
      return copy;
    }
    return schema;
  }

  public static void main(String[] args) {
    JsonObject all = new JsonObject();
    reachable(io.spoils.proto.v1.AnalysisEvent.getDescriptor(),
        io.spoils.proto.v1.ListModelsResponse.getDescriptor()).forEach(all::put);
    System.out.println(all.encodePrettily());
  }
}
