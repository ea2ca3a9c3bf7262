package io.spoils.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Assertions on protobuf descriptors written in .proto syntax, so that a test reads like the
 * reference table it pins: {@code assertFields(d, "string name = 1; repeated int64 shape = 3")}.
 * A declaration pins the field's name, number, label (repeated or not), and type: a scalar keyword,
 * the simple name of a message or enum type, or {@code map<K, V>}.
 */
public final class DescriptorAssertions {

  private static final Pattern FIELD = Pattern.compile(
      "\\s*(optional\\s+|repeated\\s+)?(map<\\s*\\w+\\s*,\\s*\\w+\\s*>|\\w+)\\s+(\\w+)\\s*=\\s*(\\d+)\\s*");
  private static final Pattern MAP = Pattern.compile("map<\\s*(\\w+)\\s*,\\s*(\\w+)\\s*>");
  private static final Pattern ENUM_VALUE = Pattern.compile("\\s*(\\w+)\\s*=\\s*(\\d+)\\s*");

  private static final Map<String, FieldDescriptor.Type> SCALARS = Map.ofEntries(
      Map.entry("double", FieldDescriptor.Type.DOUBLE),
      Map.entry("float", FieldDescriptor.Type.FLOAT),
      Map.entry("int32", FieldDescriptor.Type.INT32),
      Map.entry("int64", FieldDescriptor.Type.INT64),
      Map.entry("uint32", FieldDescriptor.Type.UINT32),
      Map.entry("uint64", FieldDescriptor.Type.UINT64),
      Map.entry("bool", FieldDescriptor.Type.BOOL),
      Map.entry("string", FieldDescriptor.Type.STRING),
      Map.entry("bytes", FieldDescriptor.Type.BYTES));

  private DescriptorAssertions() {}

  /** Every declared field exists as declared; the message may have further fields. */
  public static void assertFields(Descriptor message, String declarations) {
    for (String declaration : split(declarations)) {
      assertField(message, declaration);
    }
  }

  /** The message has exactly the declared fields, no more. */
  public static void assertExactFields(Descriptor message, String declarations) {
    List<String> declared = split(declarations);
    for (String declaration : declared) {
      assertField(message, declaration);
    }
    assertEquals(declared.size(), message.getFields().size(),
        message.getFullName() + " has fields " + fieldNames(message));
  }

  /** The oneof exists and holds exactly the named fields. */
  public static void assertOneof(Descriptor message, String oneofName, String... fieldNames) {
    OneofDescriptor oneof = message.getOneofs().stream()
        .filter(o -> o.getName().equals(oneofName))
        .findFirst()
        .orElseThrow(() -> new AssertionError(message.getFullName() + " has no oneof " + oneofName));
    assertEquals(List.of(fieldNames),
        oneof.getFields().stream().map(FieldDescriptor::getName).collect(Collectors.toList()),
        message.getFullName() + "." + oneofName);
  }

  /** The enum has exactly these values, with these numbers, in this order: "A = 0; B = 1". */
  public static void assertEnum(EnumDescriptor enumType, String values) {
    List<String> expected = new ArrayList<>();
    for (String value : split(values)) {
      Matcher m = ENUM_VALUE.matcher(value);
      if (!m.matches()) {
        fail("bad enum value declaration: " + value);
      }
      expected.add(m.group(1) + " = " + m.group(2));
    }
    List<String> actual = new ArrayList<>();
    for (EnumValueDescriptor v : enumType.getValues()) {
      actual.add(v.getName() + " = " + v.getNumber());
    }
    assertEquals(expected, actual, enumType.getFullName());
  }

  /** The method exists with these request/response types and streaming flags. */
  public static void assertMethod(ServiceDescriptor service, String name, String input,
      String output, boolean clientStreaming, boolean serverStreaming) {
    MethodDescriptor method = service.findMethodByName(name);
    assertNotNull(method, service.getFullName() + " has no method " + name);
    assertEquals(input, method.getInputType().getFullName(), name + " input");
    assertEquals(output, method.getOutputType().getFullName(), name + " output");
    assertEquals(clientStreaming, method.isClientStreaming(), name + " client streaming");
    assertEquals(serverStreaming, method.isServerStreaming(), name + " server streaming");
  }

  /** Names of the message's fields, in declaration order. */
  public static List<String> fieldNames(Descriptor message) {
    return message.getFields().stream().map(FieldDescriptor::getName).collect(Collectors.toList());
  }

  private static void assertField(Descriptor message, String declaration) {
    Matcher m = FIELD.matcher(declaration);
    if (!m.matches()) {
      fail("bad field declaration: " + declaration);
    }
    String label = m.group(1) == null ? "" : m.group(1).trim();
    String type = m.group(2);
    String name = m.group(3);
    int number = Integer.parseInt(m.group(4));
    String where = message.getFullName() + "." + name;

    FieldDescriptor field = message.findFieldByName(name);
    assertNotNull(field, message.getFullName() + " has no field " + name);
    assertEquals(number, field.getNumber(), where + " number");
    Matcher map = MAP.matcher(type);
    if (map.matches()) {
      assertTrue(field.isMapField(), where + " is not a map");
      Descriptor entry = field.getMessageType();
      assertType(entry.findFieldByName("key"), map.group(1), where + " key");
      assertType(entry.findFieldByName("value"), map.group(2), where + " value");
      return;
    }
    assertEquals(label.equals("repeated"), field.isRepeated(), where + " repeated");
    if (label.equals("optional")) {
      assertTrue(field.hasPresence() && field.getRealContainingOneof() == null,
          where + " is not proto3 optional");
    }
    assertType(field, type, where);
  }

  private static void assertType(FieldDescriptor field, String type, String where) {
    FieldDescriptor.Type scalar = SCALARS.get(type);
    if (scalar != null) {
      assertEquals(scalar, field.getType(), where + " type");
    } else if (field.getType() == FieldDescriptor.Type.MESSAGE) {
      assertEquals(type, field.getMessageType().getName(), where + " message type");
    } else if (field.getType() == FieldDescriptor.Type.ENUM) {
      assertEquals(type, field.getEnumType().getName(), where + " enum type");
    } else {
      fail(where + " is " + field.getType() + ", expected " + type);
    }
  }

  private static List<String> split(String declarations) {
    return Arrays.stream(declarations.split(";"))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toList());
  }
}
