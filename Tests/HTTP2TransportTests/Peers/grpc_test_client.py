#!/usr/bin/env python3
"""A grpcio client that calls the server role of HTTP2Transport (Tests/.../Server/TestBackend.swift)
on 127.0.0.1:<port> and prints one line per check; exits non-zero on any mismatch."""
import sys

import grpc


def main():
    port = int(sys.argv[1])
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        grpc.channel_ready_future(channel).result(timeout=10)
        unary = channel.unary_unary("/interop.Test/Unary")
        payload = bytes(range(256)) * 400
        assert unary(payload, timeout=10) == payload
        assert unary(b"", timeout=10) == b""
        print("unary ok", flush=True)
        bidi = channel.stream_stream("/interop.Test/Bidi")
        messages = [bytes([i]) * (i * 997) for i in range(50)]
        replies = list(bidi(iter(messages), timeout=10))
        assert replies == messages, "bidi mismatch"
        print(f"bidi ok {len(replies)}", flush=True)
        try:
            channel.unary_unary("/interop.Test/Fail")(b"", timeout=10)
            sys.exit("Fail did not fail")
        except grpc.RpcError as error:
            print(f"fail {error.code().name} {error.details()}", flush=True)


if __name__ == "__main__":
    main()
