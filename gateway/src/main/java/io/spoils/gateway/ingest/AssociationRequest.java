package io.spoils.gateway.ingest;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The first PDU of a DICOM association (PS3.8 §9.3.2, A-ASSOCIATE-RQ), read before PixelMed sees
 * the connection so that the calling AE title can be checked ({@link CallerPolicy}); the bytes
 * read are kept to hand on ({@link PeekedSocket}). Also writes the A-ASSOCIATE-RJ that refuses
 * one (§9.3.4).
 *
 * @param bytes the whole PDU as received (header included)
 * @param calledAe the called AE title, padding removed
 * @param callingAe the calling AE title, padding removed
 */
record AssociationRequest(byte[] bytes, String calledAe, String callingAe) {

  /** Largest A-ASSOCIATE-RQ read (its presentation contexts and user items), bytes. */
  static final int MAX_PDU = 1 << 20;
  private static final int TYPE_RQ = 0x01;

  /**
   * Reads one A-ASSOCIATE-RQ from {@code in} (blocking, within the socket's timeout).
   *
   * @throws IOException when the peer sends something else, too much, or closes early
   */
  static AssociationRequest read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] header = new byte[6];
    data.readFully(header);
    long length = ((header[2] & 0xFFL) << 24) | ((header[3] & 0xFFL) << 16)
        | ((header[4] & 0xFFL) << 8) | (header[5] & 0xFFL);
    if ((header[0] & 0xFF) != TYPE_RQ || length < 68 || length > MAX_PDU) {
      throw new IOException("not an A-ASSOCIATE-RQ of at most " + MAX_PDU + " bytes");
    }
    byte[] pdu = new byte[6 + (int) length];
    System.arraycopy(header, 0, pdu, 0, 6);
    data.readFully(pdu, 6, (int) length);
    // protocol version (2), reserved (2), called AE (16), calling AE (16)
    return new AssociationRequest(pdu, ae(pdu, 10), ae(pdu, 26));
  }

  private static String ae(byte[] pdu, int offset) {
    return new String(pdu, offset, 16, StandardCharsets.US_ASCII).strip();
  }

  /** The calling AE title as it may be logged: printable ASCII only. */
  String printableCallingAe() {
    return callingAe.replaceAll("[^\\x20-\\x7E]", "?");
  }

  /**
   * Writes A-ASSOCIATE-RJ: rejected permanently by the service user because the calling AE title
   * is not recognised (result 1, source 1, reason 3).
   */
  static void reject(OutputStream out) throws IOException {
    out.write(new byte[] {0x03, 0, 0, 0, 0, 4, 0, 1, 1, 3});
    out.flush();
  }
}
