package io.spoils.gateway.output;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import io.spoils.feature.dicom.DicomUids;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The header modules every SPOILS output object shares (Patient and General Study copied from the
 * source, a new series, General Equipment, SOP Common, content date and time), attribute helpers,
 * and Part 10 encoding. Stateless; each call fills the list it is given.
 */
public final class DicomHeaders {

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");

  private DicomHeaders() {
  }

  /**
   * Puts the shared modules into {@code list}.
   *
   * @param list the object being built
   * @param source the measured image (patient and study context)
   * @param sopClassUid the output's SOP Class UID
   * @param modality SR or SEG
   * @param seriesNumber the new series' number
   * @param seriesDescription the new series' description
   * @param producer the equipment
   * @param now the content date and time
   */
  public static void shared(AttributeList list, SourceImage source, String sopClassUid,
      String modality, int seriesNumber, String seriesDescription, Producer producer,
      LocalDateTime now) throws DicomException {
    list.putAll(source.patientAndStudy());
    for (AttributeTag tag : new AttributeTag[] {TagFromName.PatientName, TagFromName.PatientID,
        TagFromName.PatientBirthDate, TagFromName.PatientSex, TagFromName.StudyDate,
        TagFromName.StudyTime, TagFromName.ReferringPhysicianName, TagFromName.StudyID,
        TagFromName.AccessionNumber}) {
      if (list.get(tag) == null) {
        list.putNewAttribute(tag);
      }
    }
    put(list, TagFromName.StudyInstanceUID, source.studyInstanceUid());
    put(list, TagFromName.SOPClassUID, sopClassUid);
    put(list, TagFromName.SOPInstanceUID, DicomUids.newUid());
    put(list, TagFromName.Modality, modality);
    put(list, TagFromName.SeriesInstanceUID, DicomUids.newUid());
    put(list, TagFromName.SeriesNumber, Integer.toString(seriesNumber));
    put(list, TagFromName.SeriesDescription, seriesDescription);
    put(list, TagFromName.InstanceNumber, "1");
    put(list, TagFromName.Manufacturer, Producer.MANUFACTURER);
    put(list, TagFromName.ManufacturerModelName, Producer.MODEL_NAME);
    put(list, TagFromName.DeviceSerialNumber, Producer.DEVICE_SERIAL_NUMBER);
    put(list, TagFromName.SoftwareVersions, producer.softwareVersion());
    put(list, TagFromName.ContentDate, DATE.format(now));
    put(list, TagFromName.ContentTime, TIME.format(now));
    put(list, TagFromName.SeriesDate, DATE.format(now));
    put(list, TagFromName.SeriesTime, TIME.format(now));
  }

  /** Puts {@code tag} with these values, replacing any; the VR comes from the dictionary. */
  public static void put(AttributeList list, AttributeTag tag, String... values)
      throws DicomException {
    Attribute a = AttributeFactory.newAttribute(tag);
    for (String v : values) {
      a.addValue(v);
    }
    list.put(a);
  }

  /** A sequence attribute with one item holding {@code item}. */
  public static SequenceAttribute sequence(AttributeTag tag, AttributeList item) {
    SequenceAttribute s = new SequenceAttribute(tag);
    s.addItem(item);
    return s;
  }

  /** A code sequence attribute with one item. */
  public static SequenceAttribute codeSequence(AttributeTag tag, CodedSequenceItem code) {
    return sequence(tag, code.getAttributeList());
  }

  /** {@code ReferencedSOPClassUID} and {@code ReferencedSOPInstanceUID} of the source. */
  public static AttributeList sopReference(SourceImage source) throws DicomException {
    AttributeList ref = new AttributeList();
    put(ref, TagFromName.ReferencedSOPClassUID, source.sopClassUid());
    put(ref, TagFromName.ReferencedSOPInstanceUID, source.sopInstanceUid());
    return ref;
  }

  /**
   * {@link #sopReference} and, for a multi-frame source, the Referenced Frame Number of the
   * measured frame (Image SOP Instance Reference Macro: required when not every frame is meant).
   */
  public static AttributeList imageReference(SourceImage source) throws DicomException {
    AttributeList ref = sopReference(source);
    if (source.referencedFrameNumber() > 0) {
      put(ref, TagFromName.ReferencedFrameNumber, Integer.toString(source.referencedFrameNumber()));
    }
    return ref;
  }

  /** The object as a Part 10 file, explicit VR little endian. */
  public static byte[] encode(AttributeList list) {
    try {
      list.removeGroupLengthAttributes();
      FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian,
          "SPOILS");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      list.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
      return out.toByteArray();
    } catch (DicomException | IOException e) {
      throw new IllegalStateException("cannot encode the DICOM object", e);
    }
  }
}
