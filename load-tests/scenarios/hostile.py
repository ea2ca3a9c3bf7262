"""Hostile clients for hostile.sh: slow uploads, decompression bombs and oversize uploads against
127.0.0.1:PORT until STOP_FILE exists; prints a JSON summary of what each kind received."""
import json, os, socket, sys, threading, time
from dicom_bytes import bomb_file

port, seconds = int(sys.argv[1]), float(sys.argv[2])
slow_n, bomb_n, big_n = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
pause = float(sys.argv[6]) if len(sys.argv) > 6 else 0  # seconds between a bomb's or big's tries
counts, lock, end = {}, threading.Lock(), time.time() + seconds


def count(kind, outcome):
    with lock:
        counts.setdefault(kind, {}).setdefault(outcome, 0)
        counts[kind][outcome] += 1


def status(sock):
    try:
        line = sock.recv(64).decode("latin-1")
        return line[9:12] if line.startswith("HTTP/1.1 ") else "closed"
    except OSError:
        return "reset"


def head(length, chunked=False):
    te = "Transfer-Encoding: chunked\r\n" if chunked else "Content-Length: %d\r\n" % length
    return ("POST /v1/analyses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/dicom\r\n"
            "Connection: close\r\n" + te + "\r\n").encode()


def slow():
    """A 650 kB body sent one byte every 500 ms, again each time the server cuts it off."""
    while time.time() < end:
        s = socket.create_connection(("127.0.0.1", port))
        s.settimeout(0.5)
        s.sendall(head(650000))
        outcome = None
        while time.time() < end and outcome is None:
            try:
                s.send(b"x")
                line = s.recv(64).decode("latin-1")  # waits 0.5 s: the pace
                outcome = line[9:12] if line.startswith("HTTP/1.1 ") else "closed"
            except socket.timeout:
                continue
            except OSError:
                outcome = "reset"
        count("slow", outcome or "held to the end")
        s.close()


def bomb():
    body = bomb_file()
    while time.time() < end:
        s = socket.create_connection(("127.0.0.1", port))
        s.settimeout(60)
        try:
            s.sendall(head(len(body)) + body)
            count("bomb", status(s))
        except OSError:
            count("bomb", "reset")
        s.close()
        time.sleep(pause)


def big():
    """A 70 MiB body (over the 64 MiB limit) sent as fast as the server takes it, half of them
    chunked so that the size shows only as it arrives; again after `pause` seconds."""
    chunk = os.urandom(1 << 20)
    n = 0
    while time.time() < end:
        n += 1
        chunked = n % 2 == 0
        s = socket.create_connection(("127.0.0.1", port))
        s.settimeout(60)
        try:
            s.sendall(head(70 << 20, chunked))
            for _ in range(70):
                s.sendall((b"100000\r\n" + chunk + b"\r\n") if chunked else chunk)
            if chunked:
                s.sendall(b"0\r\n\r\n")
            count("oversize", status(s))
        except OSError:
            count("oversize", status(s))
        s.close()
        time.sleep(pause)


threads = [threading.Thread(target=f, daemon=True)
           for f, n in ((slow, slow_n), (bomb, bomb_n), (big, big_n)) for _ in range(n)]
for t in threads:
    t.start()
for t in threads:
    t.join(seconds + 90)
print(json.dumps(counts, sort_keys=True))
