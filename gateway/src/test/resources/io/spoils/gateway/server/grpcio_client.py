"""A gRPC client the project did not write (Debian's python3-grpcio) for ForeignGrpcClientsTest.

Usage: grpcio_client.py STUBS_DIR PORT CASE
Prints one line: the call's status code name, a tab, its details (the decoded grpc-message).
Streaming cases keep the request open until the answer has ended, so that the server answers
while the client is still sending (the case where a reset after the trailers matters).
"""
import sys
import threading

import grpc

sys.path.insert(0, sys.argv[1])
from spoils.v1 import analysis_service_pb2 as pb  # noqa: E402

PORT, CASE = sys.argv[2], sys.argv[3]
TIMEOUT_S = 30


def large_analyze():
    """An Analyze request of 4 MiB: still on its way when a refusal from the headers arrives."""
    content = bytes(4 * 1024 * 1024)
    return pb.AnalyzeRequest(files=pb.DicomFiles(files=[pb.DicomFile(name="a.dcm",
                                                                     content=content)]))


def header(count):
    return pb.UploadRequest(header=pb.UploadHeader(expected_file_count=count))


def held_open(messages, done):
    """Yields messages, then holds the request open until the answer has ended."""
    for m in messages:
        yield m
    done.wait(TIMEOUT_S)


def run(call):
    try:
        for _ in call:
            pass
        print("OK\t")
    except grpc.RpcError as e:
        print(e.code().name + "\t" + (e.details() or ""))


def main():
    channel = grpc.insecure_channel("127.0.0.1:" + PORT)
    analyze = channel.unary_stream("/spoils.v1.AnalysisService/Analyze",
                                   request_serializer=lambda m: m.SerializeToString(),
                                   response_deserializer=lambda b: b)
    upload = channel.stream_stream("/spoils.v1.AnalysisService/AnalyzeUpload",
                                   request_serializer=lambda m: m.SerializeToString(),
                                   response_deserializer=lambda b: b)
    raw_upload = channel.stream_stream("/spoils.v1.AnalysisService/AnalyzeUpload",
                                       request_serializer=None, response_deserializer=None)
    done = threading.Event()
    if CASE == "analyze-large":
        run(analyze(large_analyze(), timeout=TIMEOUT_S))
    elif CASE == "upload-two-headers":
        run(upload(held_open([header(1), header(1)], done), timeout=TIMEOUT_S))
    elif CASE == "upload-max-uint32-files":
        run(upload(held_open([header(4294967295)], done), timeout=TIMEOUT_S))
    elif CASE == "upload-malformed":
        run(raw_upload(held_open([b"\x0a\xff\xff\xff\xff\xff"], done), timeout=TIMEOUT_S))
    elif CASE == "upload-header":
        run(upload(held_open([header(1)], done), timeout=TIMEOUT_S))
    else:
        raise SystemExit("unknown case " + CASE)
    done.set()


main()
