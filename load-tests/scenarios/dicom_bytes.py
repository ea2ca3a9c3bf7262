"""Hand-built DICOM bytes for the hostile scenarios (hostile.py, handmade.py): explicit VR
elements (little or big endian), Part 10 files around a data set, and a deflate bomb."""
import struct, zlib


def element(group, elem, vr, value, order="<"):
    if vr in (b"OB", b"UN", b"SQ", b"OW"):
        return struct.pack(order + "HH2sHI", group, elem, vr, 0, len(value)) + value
    return struct.pack(order + "HH2sH", group, elem, vr, len(value)) + value

def uid(s):
    b = s.encode(); return b + (b"\0" if len(b) % 2 else b"")

def part10(ts, data):
    """A Part 10 file: preamble, DICM, MR image meta information for transfer syntax `ts`."""
    meta = (element(2, 1, b"OB", b"\0\1") + element(2, 2, b"UI", uid("1.2.840.10008.5.1.4.1.1.4"))
            + element(2, 3, b"UI", uid("1.2.3.4")) + element(2, 0x10, b"UI", uid(ts)))
    meta = element(2, 0, b"UL", struct.pack("<I", len(meta))) + meta
    return b"\0" * 128 + b"DICM" + meta + data

def bomb_file():
    """Deflated explicit little endian: 256 MiB of zero pixels in about 250 kB."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = c.compress(element(0x28, 0x10, b"US", struct.pack("<H", 16384)) + element(0x28, 0x11, b"US", struct.pack("<H", 16384))
                      + struct.pack("<HH2sHI", 0x7FE0, 0x10, b"OB", 0, 256 << 20))
    z = bytes(1 << 20)
    for _ in range(256):
        data += c.compress(z)
    return part10("1.2.840.10008.1.2.1.99", data + c.flush())
