package io.spoils.proto.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The conventions every spoils.v1 declaration follows (see the header of common.proto), checked
 * over the whole package so that new fields and enums cannot slip past them.
 */
class ApiConventionsTest {

  private static final List<FileDescriptor> FILES = List.of(
      CommonProto.getDescriptor(),
      GeometryProto.getDescriptor(),
      EventsProto.getDescriptor(),
      AnalysisServiceProto.getDescriptor());

  private static final List<String> UNIT_SUFFIXES =
      List.of("_mm", "_mm2", "_mm3", "_deg", "_px", "_ms", "_percent");

  /** Numbers without a physical unit, each documented as dimensionless in its comment. */
  private static final Set<String> DIMENSIONLESS = Set.of(
      "DiscGeometry.index_from_bottom",
      "DiscGeometry.height_index",
      "DiscGeometry.signal_mean",
      "DiscGeometry.signal_ratio_to_csf",
      "DiscGeometry.signal_ratio_to_vertebra",
      "DiscGeometry.signal_diff_to_neighbours",
      "VertebraGeometry.index_from_bottom",
      "SeriesInfo.rows",
      "SeriesInfo.columns",
      "SeriesInfo.slice_count",
      "SeriesInfo.mid_slice_index",
      "DiscGeometry.volume_slice_count",
      "ClassProbability.probability",
      "DiscResult.confidence",
      "FeatureContribution.value",
      "FeatureContribution.contribution");

  /** Messages of measured quantities: every numeric field must carry a unit or be listed above. */
  private static final List<Descriptor> GEOMETRY = List.of(
      DiscGeometry.getDescriptor(),
      VertebraGeometry.getDescriptor(),
      SeriesInfo.getDescriptor(),
      LabelMask.getDescriptor());

  private static List<Descriptor> allMessages() {
    List<Descriptor> out = new ArrayList<>();
    for (FileDescriptor file : FILES) {
      for (Descriptor message : file.getMessageTypes()) {
        collect(message, out);
      }
    }
    return out;
  }

  private static void collect(Descriptor message, List<Descriptor> out) {
    out.add(message);
    for (Descriptor nested : message.getNestedTypes()) {
      collect(nested, out);
    }
  }

  private static boolean isNumeric(FieldDescriptor field) {
    switch (field.getJavaType()) {
      case INT:
      case LONG:
      case FLOAT:
      case DOUBLE:
        return true;
      default:
        return false;
    }
  }

  private static boolean hasUnitOrIsDimensionless(Descriptor message, FieldDescriptor field) {
    return UNIT_SUFFIXES.stream().anyMatch(field.getName()::endsWith)
        || DIMENSIONLESS.contains(message.getName() + "." + field.getName());
  }

  @Test
  void geometryFields_numericFieldsCarryUnits() {
    for (Descriptor message : GEOMETRY) {
      for (FieldDescriptor field : message.getFields()) {
        if (isNumeric(field)) {
          assertTrue(hasUnitOrIsDimensionless(message, field),
              message.getName() + "." + field.getName() + " has no unit suffix");
        }
      }
    }
  }

  @Test
  void allMessages_floatingPointFieldsCarryUnits() {
    for (Descriptor message : allMessages()) {
      for (FieldDescriptor field : message.getFields()) {
        boolean floating = field.getType() == FieldDescriptor.Type.DOUBLE
            || field.getType() == FieldDescriptor.Type.FLOAT;
        if (floating) {
          assertTrue(hasUnitOrIsDimensionless(message, field),
              message.getName() + "." + field.getName() + " has no unit suffix");
        }
      }
    }
  }

  @Test
  void dimensionlessAllowList_namesExistingFields() {
    // A stale entry would silently allow a future field of the same name.
    for (String entry : DIMENSIONLESS) {
      String[] parts = entry.split("\\.");
      Descriptor message = allMessages().stream()
          .filter(m -> m.getName().equals(parts[0])).findFirst()
          .orElseThrow(() -> new AssertionError("no message " + parts[0]));
      FieldDescriptor field = message.findFieldByName(parts[1]);
      assertTrue(field != null && isNumeric(field), entry + " is not a numeric field");
    }
  }

  @Test
  void allEnums_unspecifiedZeroAndPrefixedValues() {
    for (FileDescriptor file : FILES) {
      for (EnumDescriptor enumType : file.getEnumTypes()) {
        String prefix = upperSnake(enumType.getName()) + "_";
        assertEquals(prefix + "UNSPECIFIED", enumType.findValueByNumber(0).getName(),
            enumType.getName() + " zero value");
        for (EnumValueDescriptor value : enumType.getValues()) {
          assertTrue(value.getName().startsWith(prefix),
              value.getName() + " lacks prefix " + prefix);
        }
      }
    }
  }

  @Test
  void allFields_lowerSnakeCase() {
    for (Descriptor message : allMessages()) {
      if (message.getOptions().getMapEntry()) {
        continue;
      }
      for (FieldDescriptor field : message.getFields()) {
        assertTrue(field.getName().matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"),
            message.getName() + "." + field.getName());
      }
    }
  }

  @Test
  void allFiles_packageAndJavaOptions() {
    for (FileDescriptor file : FILES) {
      assertEquals("spoils.v1", file.getPackage(), file.getName());
      assertEquals("io.spoils.proto.v1", file.getOptions().getJavaPackage(), file.getName());
      assertTrue(file.getOptions().getJavaMultipleFiles(), file.getName());
      assertEquals("proto3", file.toProto().getSyntax(), file.getName());
    }
  }

  private static String upperSnake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
  }
}
