#!/usr/bin/env python3
"""Writes seed inputs for Fuzz/H2ServerFuzzer.swift: client HTTP/2 frame sequences (RFC 9113 §4.1)
after the connection preface, with HPACK literal fields (RFC 7541 §6.2.2), as the fuzzer expects:
the first byte picks the chunk size, the rest is fed to a server session. Existing files are kept."""
import gzip
import os
import struct
import sys


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def literal(name, value):
    def string(s):
        assert len(s) < 127
        return bytes([len(s)]) + s
    return b"\x00" + string(name.encode()) + string(value.encode())


def headers(fields):
    return b"".join(literal(n, v) for n, v in fields)


def grpc_message(payload, compressed=False):
    return bytes([1 if compressed else 0]) + struct.pack(">I", len(payload)) + payload


REQUEST = [(":method", "POST"), (":scheme", "http"), (":path", "/pkg.S/M"), (":authority", "x"),
           ("content-type", "application/grpc"), ("te", "trailers"), ("grpc-timeout", "1S")]
SETTINGS = frame(4, 0, 0, struct.pack(">HI", 3, 100) + struct.pack(">HI", 4, 65535))
ACK = frame(4, 1, 0)

SEEDS = {
    "unary": SETTINGS + ACK + frame(1, 4, 1, headers(REQUEST)) + frame(0, 1, 1, grpc_message(b"\x08\x01")),
    "trailers": SETTINGS + frame(1, 4, 1, headers(REQUEST)) + frame(0, 0, 1, grpc_message(b"hi"))
    + frame(1, 5, 1, headers([("x-end", "1")])),
    "gzip": SETTINGS + frame(1, 4, 1, headers(REQUEST + [("grpc-encoding", "gzip")]))
    + frame(0, 1, 1, grpc_message(gzip.compress(b"a" * 1000), compressed=True)),
    "streams": SETTINGS + b"".join(frame(1, 5, i, headers(REQUEST)) for i in range(1, 20, 2)),
    "reset": SETTINGS + frame(1, 4, 1, headers(REQUEST)) + frame(3, 0, 1, struct.pack(">I", 8)),
    "ping_window_goaway": SETTINGS + frame(6, 0, 0, b"12345678") + frame(8, 0, 0, struct.pack(">I", 1000))
    + frame(7, 0, 0, struct.pack(">II", 0, 0)),
    "continuation": SETTINGS + frame(1, 0, 1, headers(REQUEST[:3])) + frame(9, 4, 1, headers(REQUEST[3:])),
    "padded": SETTINGS + frame(1, 4, 1, headers(REQUEST)) + frame(0, 9, 1, b"\x03" + grpc_message(b"x") + b"\x00" * 3),
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, body in SEEDS.items():
        path = os.path.join(out, f"seed-{name}")
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(bytes([63]) + body)  # chunk size 64: whole frames mostly
        path = os.path.join(out, f"seed-{name}-bytewise")
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(bytes([0]) + body)  # chunk size 1


if __name__ == "__main__":
    main()
