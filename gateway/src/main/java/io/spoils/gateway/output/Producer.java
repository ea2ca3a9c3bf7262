package io.spoils.gateway.output;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * Who made an output object: the equipment and device-observer identification the DICOM outputs
 * carry (General and Enhanced General Equipment, TID 1004 Device Observer).
 *
 * @param softwareVersion the SPOILS version, e.g. {@code 0.9.0} or {@code dev}
 */
public record Producer(String softwareVersion) {

  /** Manufacturer (0008,0070) of every output. */
  public static final String MANUFACTURER = "SPOILS project";
  /** Manufacturer's Model Name (0008,1090) and device observer name. */
  public static final String MODEL_NAME = "SPOILS";
  /**
   * Device Serial Number (0018,1000): SPOILS is software without a serial number; the Enhanced
   * General Equipment module requires a value, so it names the kind of installation.
   */
  public static final String DEVICE_SERIAL_NUMBER = "software";

  public Producer {
    Objects.requireNonNull(softwareVersion, "softwareVersion");
  }

  /** This build's version from the jar manifest, {@code dev} when run from classes. */
  public static Producer current() {
    String v = Producer.class.getPackage().getImplementationVersion();
    return new Producer(v == null ? "dev" : v);
  }

  /**
   * A stable Device Observer UID for SPOILS: {@code 2.25.} followed by the decimal form of a
   * name-based UUID (ITU-T X.667), the same for every installation and version.
   */
  public static String deviceObserverUid() {
    UUID u = UUID.nameUUIDFromBytes("io.spoils device observer".getBytes(StandardCharsets.UTF_8));
    java.math.BigInteger hi = java.math.BigInteger.valueOf(u.getMostSignificantBits())
        .and(java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE));
    java.math.BigInteger lo = java.math.BigInteger.valueOf(u.getLeastSignificantBits())
        .and(java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE));
    return "2.25." + hi.shiftLeft(64).or(lo);
  }
}
