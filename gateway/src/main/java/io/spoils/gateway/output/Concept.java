package io.spoils.gateway.output;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.util.Objects;

/**
 * A coded concept (code value, coding scheme designator, code meaning) as DICOM writes it in a code
 * sequence item. Concepts of the private scheme {@value #PRIVATE_SCHEME} are SPOILS' own, used
 * where DCM, SCT, LOINC and UCUM have none; they are listed in {@code output/package-info.java}.
 *
 * @param value Code Value, at most 16 characters
 * @param scheme Coding Scheme Designator, e.g. {@code DCM}, {@code SCT}, {@code UCUM}
 * @param meaning Code Meaning, at most 64 characters
 */
public record Concept(String value, String scheme, String meaning) {

  /** The Coding Scheme Designator of SPOILS' private concepts. */
  public static final String PRIVATE_SCHEME = "99SPOILS";

  public Concept {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(meaning, "meaning");
    if (value.isEmpty() || value.length() > 16 || meaning.isEmpty() || meaning.length() > 64) {
      throw new IllegalArgumentException("code value must be 1-16 and meaning 1-64 characters: "
          + value + " / " + meaning);
    }
  }

  /** A DCM concept. */
  public static Concept dcm(String value, String meaning) {
    return new Concept(value, "DCM", meaning);
  }

  /** A SNOMED CT concept. */
  public static Concept sct(String value, String meaning) {
    return new Concept(value, "SCT", meaning);
  }

  /** A UCUM unit; the meaning is the unit's name. */
  public static Concept ucum(String value, String meaning) {
    return new Concept(value, "UCUM", meaning);
  }

  /** A SPOILS private concept (scheme {@value #PRIVATE_SCHEME}). */
  public static Concept spoils(String value, String meaning) {
    return new Concept(value, PRIVATE_SCHEME, meaning);
  }

  /** A new code sequence item of this concept. */
  public CodedSequenceItem item() {
    try {
      return new CodedSequenceItem(value, scheme, meaning);
    } catch (DicomException e) {
      throw new IllegalStateException("cannot encode the concept " + value, e);
    }
  }

  /**
   * The Coding Scheme Identification Sequence that declares {@value #PRIVATE_SCHEME}, for an object
   * that uses private concepts.
   */
  public static SequenceAttribute privateSchemeIdentification() throws DicomException {
    AttributeList item = new AttributeList();
    DicomHeaders.put(item, TagFromName.CodingSchemeDesignator, PRIVATE_SCHEME);
    DicomHeaders.put(item, TagFromName.CodingSchemeName, "SPOILS private concepts");
    DicomHeaders.put(item, TagFromName.CodingSchemeResponsibleOrganization, "SPOILS project");
    return DicomHeaders.sequence(TagFromName.CodingSchemeIdentificationSequence, item);
  }
}
