package io.spoils.gateway.ingest;

import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;

/**
 * Which presentation contexts the C-STORE listener accepts: MR image storage (classic, enhanced
 * and legacy-converted enhanced) and verification (C-ECHO), each in a transfer syntax the DICOM
 * reader decodes, preferring uncompressed explicit little endian. Anything else is refused at
 * association time, so a sender learns at once what the gateway will not take.
 */
final class MrStoragePolicy implements PresentationContextSelectionPolicy {

  static final String MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4";
  static final String ENHANCED_MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4.1";
  static final String LEGACY_ENHANCED_MR_IMAGE = "1.2.840.10008.5.1.4.1.1.4.4";
  static final String VERIFICATION = "1.2.840.10008.1.1";

  private static final Set<String> ABSTRACT = Set.of(MR_IMAGE, ENHANCED_MR_IMAGE,
      LEGACY_ENHANCED_MR_IMAGE, VERIFICATION);

  /** Most preferred first: explicit/implicit little endian, lossless JPEG, RLE, deflate, BE. */
  static final List<String> TRANSFER = List.of("1.2.840.10008.1.2.1", "1.2.840.10008.1.2",
      "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.5",
      "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2");

  /** PS3.8 A-ASSOCIATE-AC result/reason values. */
  private static final byte ACCEPTANCE = 0;
  private static final byte ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
  private static final byte TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts,
      int associationNumber) {
    for (Object o : contexts) {
      select((PresentationContext) o);
    }
    return contexts;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts,
      int associationNumber, int debugLevel) {
    return applyPresentationContextSelectionPolicy(contexts, associationNumber);
  }

  /** Sets the context's result and culls its transfer syntaxes to the one chosen (or none). */
  private static void select(PresentationContext pc) {
    List<?> offered = pc.getTransferSyntaxUIDs();
    String chosen = null;
    if (ABSTRACT.contains(pc.getAbstractSyntaxUID())) {
      for (String ts : TRANSFER) {
        if (offered.contains(ts)) {
          chosen = ts;
          break;
        }
      }
    }
    pc.newTransferSyntaxUIDs();
    if (!ABSTRACT.contains(pc.getAbstractSyntaxUID())) {
      pc.setResultReason(ABSTRACT_SYNTAX_NOT_SUPPORTED);
    } else if (chosen == null) {
      pc.setResultReason(TRANSFER_SYNTAXES_NOT_SUPPORTED);
    } else {
      pc.addTransferSyntaxUID(chosen);
      pc.setResultReason(ACCEPTANCE);
    }
  }
}
