#!/usr/bin/env python3
"""An independent h2c peer that reports how a server encodes its response header blocks.

    hpack_probe.py HOST PORT PATH COUNT

Sends the client preface (RFC 9113 §3.4), then COUNT GET requests for PATH one after another on
the same connection, and prints one JSON line: for each response HEADERS block, the dynamic
table size updates it carries and how many of its fields use each HPACK representation
(RFC 7541 §6: indexed, literal with incremental indexing, without indexing, never indexed).
Frames and representations are parsed here from the raw bytes; nothing is decoded by nghttp2.
Exits 1 (with a message) on a timeout, a closed connection or a GOAWAY.
"""
import json, socket, struct, sys


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def read_int(block, i, prefix):
    """An HPACK integer with an N-bit prefix (RFC 7541 §5.1): (value, next index)."""
    limit = (1 << prefix) - 1
    value = block[i] & limit
    i += 1
    if value < limit:
        return value, i
    shift = 0
    while True:
        byte = block[i]
        i += 1
        value += (byte & 0x7F) << shift
        shift += 7
        if byte & 0x80 == 0:
            return value, i


def skip_string(block, i):
    length, i = read_int(block, i, 7)
    return i + length


def representations(block):
    """Counts of each representation and the table size updates of one header block."""
    counts = {"indexed": 0, "incremental": 0, "withoutIndexing": 0, "neverIndexed": 0}
    updates = []
    i = 0
    while i < len(block):
        byte = block[i]
        if byte & 0x80:
            _, i = read_int(block, i, 7)
            counts["indexed"] += 1
            continue
        if byte & 0xE0 == 0x20:
            size, i = read_int(block, i, 5)
            updates.append(size)
            continue
        if byte & 0xC0 == 0x40:
            kind, prefix = "incremental", 6
        elif byte & 0xF0 == 0x10:
            kind, prefix = "neverIndexed", 4
        else:
            kind, prefix = "withoutIndexing", 4
        name, i = read_int(block, i, prefix)
        if name == 0:
            i = skip_string(block, i)
        i = skip_string(block, i)
        counts[kind] += 1
    return {"sizeUpdates": updates, **counts}


def main():
    host, port, path, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    connection = socket.create_connection((host, port), timeout=10)
    connection.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(4, 0, 0))
    authority = f"{host}:{port}".encode()
    # :method GET and :scheme http from the static table; :path and :authority as literals
    # without indexing (RFC 7541 §6.2.2), so the request side leaves no table state either.
    request = bytes([0x82, 0x86, 0x04, len(path)]) + path.encode() + bytes([0x01, len(authority)]) + authority
    pending = b""
    blocks = []

    def next_frame():
        nonlocal pending
        while True:
            if len(pending) >= 9:
                length = int.from_bytes(pending[:3], "big")
                if len(pending) >= 9 + length:
                    head, payload = pending[:9], pending[9:9 + length]
                    pending = pending[9 + length:]
                    return head[3], head[4], int.from_bytes(head[5:9], "big") & 0x7FFFFFFF, payload
            data = connection.recv(65536)
            if not data:
                sys.exit("hpack_probe: the server closed the connection")
            pending += data

    for n in range(count):
        stream = 1 + 2 * n
        connection.sendall(frame(1, 0x05, stream, request))  # END_STREAM | END_HEADERS
        ended = False
        while not ended:
            kind, flags, stream_id, payload = next_frame()
            if kind == 4 and not flags & 1:
                connection.sendall(frame(4, 1, 0))  # SETTINGS ACK
            elif kind == 7:
                sys.exit(f"hpack_probe: GOAWAY {payload.hex()}")
            elif kind == 1 and stream_id == stream:
                if not flags & 0x04:
                    sys.exit("hpack_probe: CONTINUATION is not supported here")
                block = payload
                if flags & 0x08:  # PADDED
                    block = block[1:len(block) - block[0]]
                if flags & 0x20:  # PRIORITY
                    block = block[5:]
                blocks.append(representations(block))
                ended = bool(flags & 0x01)
            elif kind == 0 and stream_id == stream:
                ended = bool(flags & 0x01)
            elif kind == 3 and stream_id == stream:
                sys.exit("hpack_probe: the stream was reset")
    connection.close()
    print(json.dumps({"blocks": blocks}))


if __name__ == "__main__":
    main()
