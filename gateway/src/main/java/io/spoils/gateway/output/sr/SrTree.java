package io.spoils.gateway.output.sr;

import com.pixelmed.dicom.ContentItem;
import com.pixelmed.dicom.ContentItemFactory;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.utils.FloatFormatter;
import io.spoils.gateway.output.Concept;
import java.util.Locale;

/**
 * Builds SR content items with PixelMed's {@link ContentItemFactory}, each added to its parent.
 * Relationship types are PS3.3's: CONTAINS, HAS CONCEPT MOD, HAS OBS CONTEXT, HAS PROPERTIES.
 * Not thread-safe: one tree per document.
 */
final class SrTree {
  static final String CONTAINS = "CONTAINS";
  static final String CONCEPT_MOD = "HAS CONCEPT MOD";
  static final String OBS_CONTEXT = "HAS OBS CONTEXT";

  /** Longest Decimal String value (PS3.5). */
  private static final int DS_LENGTH = 16;

  private final ContentItemFactory factory = new ContentItemFactory();

  /** The document's root container, of template {@code templateId} (DCMR). */
  ContentItem root(Concept title, String templateId) throws DicomException {
    return factory.makeContainerContentItem(null, null, title.item(), true, "DCMR", templateId);
  }

  ContentItem container(ContentItem parent, Concept name) throws DicomException {
    return factory.makeContainerContentItem(parent, CONTAINS, name.item(), true);
  }

  ContentItem code(ContentItem parent, String relationship, Concept name, Concept value)
      throws DicomException {
    return factory.makeCodeContentItem(parent, relationship, name.item(), value.item());
  }

  ContentItem text(ContentItem parent, String relationship, Concept name, String value)
      throws DicomException {
    return factory.makeTextContentItem(parent, relationship, name.item(), value);
  }

  ContentItem uid(ContentItem parent, String relationship, Concept name, String value)
      throws DicomException {
    return factory.makeUIDContentItem(parent, relationship, name.item(), value);
  }

  /**
   * A NUM item: the value as a Decimal String (at most 16 characters) and, exactly, as Floating
   * Point Value, so a reader gets back the analysis' double.
   *
   * @param value a finite number
   */
  ContentItem num(ContentItem parent, Concept name, double value, Concept unit)
      throws DicomException {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("a NUM item needs a finite value");
    }
    String ds = FloatFormatter.toStringOfFixedMaximumLength(value, DS_LENGTH, false, Locale.US);
    return factory.makeNumericContentItem(parent, false, CONTAINS, name.item(), ds, value, null,
        null, unit.item(), null);
  }

  /**
   * An IMAGE reference to a source instance; {@code frameNumber} (1-based) names the frame of a
   * multi-frame source, 0 none.
   */
  ContentItem image(ContentItem parent, String sopClassUid, String sopInstanceUid,
      int frameNumber) throws DicomException {
    return factory.makeImageContentItem(parent, CONTAINS, null, sopClassUid, sopInstanceUid,
        frameNumber, 0, null, null, null, null);
  }
}
