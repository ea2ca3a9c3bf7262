"""Hand-made hostile inputs for handmade.sh (issue 14): a 346-byte big endian file declaring
16384 x 16384 pixels with two bytes of pixel data, a deflated data set of 100,000 nested sequences,
a deflate bomb (256 MiB of pixels in about 250 kB), then 20 concurrent 61 MiB uploads (under the
64 MiB upload limit, not DICOM) against 127.0.0.1:PORT. Prints one JSON object: per input its
status, seconds and the problem's detail; for the 20 uploads the statuses the client read (a
refusal sent before the upload ends may reach the client as a reset: the access log has its
status)."""
import json, os, socket, struct, sys, threading, time, zlib
from dicom_bytes import bomb_file, element, part10, uid
port = int(sys.argv[1])

def big_endian_tiny():
    d = b"".join([element(0x28, 0x2, b"US", struct.pack(">H", 1), ">"),
                  element(0x28, 0x4, b"CS", b"MONOCHROME2 ", ">"),
                  element(0x28, 0x10, b"US", struct.pack(">H", 16384), ">"),
                  element(0x28, 0x11, b"US", struct.pack(">H", 16384), ">"),
                  element(0x28, 0x30, b"DS", b"0.5\\0.5 ", ">"),
                  element(0x28, 0x100, b"US", struct.pack(">H", 16), ">"),
                  element(0x28, 0x101, b"US", struct.pack(">H", 16), ">"),
                  element(0x28, 0x102, b"US", struct.pack(">H", 15), ">"),
                  element(0x7FE0, 0x10, b"OW", b"\0\0", ">")])
    return part10("1.2.840.10008.1.2.2", d)

def nested_deflated(depth=100000):
    open_ = struct.pack("<HH2sHI", 0x0008, 0x1115, b"SQ", 0, 0xFFFFFFFF) + struct.pack("<HHI", 0xFFFE, 0xE000, 0xFFFFFFFF)
    close = struct.pack("<HHI", 0xFFFE, 0xE00D, 0) + struct.pack("<HHI", 0xFFFE, 0xE0DD, 0)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = c.compress(open_ * depth) + c.compress(close * depth) + c.flush()
    return part10("1.2.840.10008.1.2.1.99", data)

def post(body, timeout=120):
    t0 = time.time()
    s = socket.create_connection(("127.0.0.1", port)); s.settimeout(timeout)
    try:
        s.sendall(("POST /v1/analyses?odi=30&nrs=4 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/dicom\r\n"
                   "Connection: close\r\nContent-Length: %d\r\n\r\n" % len(body)).encode())
        view = memoryview(body)
        for i in range(0, len(body), 1 << 20):
            s.sendall(view[i:i + (1 << 20)])
        resp = b""
        while True:
            chunk = s.recv(65536)
            if not chunk: break
            resp += chunk
            if len(resp) > 4000: break
        line = resp.split(b"\r\n", 1)[0].decode("latin-1")
        reason = ""
        if b"\r\n\r\n" in resp:
            payload = resp.split(b"\r\n\r\n", 1)[1]
            try:
                reason = json.loads(payload.split(b"\n")[-1] or payload).get("detail", "")[:110]
            except Exception:
                reason = payload[:110].decode("latin-1", "replace")
        return line[9:12], round(time.time() - t0, 2), reason
    except OSError as e:
        return "reset:" + type(e).__name__, round(time.time() - t0, 2), ""
    finally:
        s.close()

results = {}
for name, body in [("big-endian 16384x16384, 2 bytes of pixels", big_endian_tiny()),
                   ("deflated, 100000 nested sequences", nested_deflated()),
                   ("deflate bomb (256 MiB of pixels)", bomb_file())]:
    status, seconds, detail = post(body)
    results[name] = {"bytes": len(body), "status": status, "seconds": seconds, "detail": detail}

out, lock = [], threading.Lock()
def big():
    r = post(os.urandom(61 << 20))
    with lock: out.append(r[:2])
threads = [threading.Thread(target=big) for _ in range(20)]
t0 = time.time()
for t in threads: t.start()
for t in threads: t.join()
codes = {}
for c, _ in out: codes[c] = codes.get(c, 0) + 1
results["20 concurrent 61 MiB uploads"] = {"statuses": codes,
    "slowestSeconds": max(s for _, s in out), "allSeconds": round(time.time() - t0, 1)}
print(json.dumps(results, indent=2))
