#!/usr/bin/env python3
"""A gRPC server written against Python grpcio's generic handlers, used by HTTP2TransportTests as
an independent peer. Messages are raw bytes (no protobuf), so no generated code is needed.

Prints "PORT <n>" once listening on 127.0.0.1. SIGTERM stops it with grace (GOAWAY, in-flight
calls finish); SIGKILL is the abrupt death the tests also exercise.

Usage: grpc_test_server.py [port] [--max-streams=N] [--handover]
  --max-streams=N  advertise SETTINGS_MAX_CONCURRENT_STREAMS = N, so further calls queue.
  --handover       SIGUSR1 starts a fresh server on the same port (SO_REUSEPORT), then stops the
                   old one with grace: its connections get GOAWAY while the port keeps answering.

Methods (service interop.Test):
  Unary         echoes the request. A request "status:<code>:<message>" fails with that code and
                message, and with grpc-status-details-bin = b"details:" + message.
                Request metadata "x-echo-*" comes back as initial metadata and as trailing
                metadata with "-trailer" appended to the key ("-bin" keys keep their suffix).
                Request metadata "x-compress-response: gzip" compresses the response.
  Size          replies with one message of <n> bytes (n = request as ASCII decimal).
  ServerStream  request "<count>,<size>[,<delay_ms>]": count messages of size bytes each
                (bytes i % 251), each message's first 4 bytes its index (big endian).
  ClientStream  replies "<messages>,<total bytes>".
  Bidi          echoes every message as it arrives.
  Sleep         sleeps <ms> (request as ASCII decimal), then echoes; honours cancellation.
  Endless       streams a 16-byte message every 20 ms until cancelled.
  Hold          request "<key>": waits (at most 30 s) until the client cancels the call, then
                records "<key>" as cancelled; replies "timeout" if it never did.
  Watch         request "<key>": streams one message, then does what Hold does.
  Outcome       request "<key>": "cancelled" if Hold/Watch saw the call with that key cancelled,
                "waiting" while it still runs, "unknown" if no such call arrived.
"""
import signal
import struct
import sys
import threading
import time
from concurrent import futures

import grpc


def _echo_metadata(context):
    initial, trailing = [], []
    for key, value in context.invocation_metadata():
        if key.startswith("x-echo-"):
            initial.append((key, value))
            if key.endswith("-bin"):
                trailing.append((key[: -len("-bin")] + "-trailer-bin", value))
            else:
                trailing.append((key + "-trailer", value))
        if key == "x-compress-response" and value == "gzip":
            context.set_compression(grpc.Compression.Gzip)
    if initial:
        context.send_initial_metadata(initial)
    if trailing:
        context.set_trailing_metadata(trailing)


def unary(request, context):
    _echo_metadata(context)
    if request.startswith(b"status:"):
        _, code, message = request.decode("utf-8").split(":", 2)
        status_code = next(c for c in grpc.StatusCode if c.value[0] == int(code))
        context.set_trailing_metadata(
            tuple(context.trailing_metadata() or ()) + (("grpc-status-details-bin", b"details:" + message.encode()),))
        context.abort(status_code, message)
    return request


def size(request, context):
    _echo_metadata(context)
    n = int(request.decode())
    return bytes(i % 251 for i in range(min(n, 256))) * (n // 256) + bytes(i % 251 for i in range(n % 256))


def server_stream(request, context):
    _echo_metadata(context)
    parts = [int(p) for p in request.decode().split(",")]
    count, length = parts[0], parts[1]
    delay = parts[2] / 1000.0 if len(parts) > 2 else 0
    body = bytes(i % 251 for i in range(length))
    for i in range(count):
        if delay:
            time.sleep(delay)
        yield (struct.pack(">I", i) + body[4:]) if length >= 4 else body


def client_stream(request_iterator, context):
    _echo_metadata(context)
    messages = total = 0
    for message in request_iterator:
        messages += 1
        total += len(message)
    return f"{messages},{total}".encode()


def bidi(request_iterator, context):
    _echo_metadata(context)
    for message in request_iterator:
        yield message


def sleep(request, context):
    deadline = time.monotonic() + int(request.decode()) / 1000.0
    while time.monotonic() < deadline and context.is_active():
        time.sleep(0.005)
    return request


def endless(request, context):
    i = 0
    while context.is_active():
        yield struct.pack(">I", i) + b"\x00" * 12
        i += 1
        time.sleep(0.02)


OUTCOMES = {}
OUTCOMES_LOCK = threading.Lock()


def _hold_until_cancelled(key, context):
    with OUTCOMES_LOCK:
        OUTCOMES[key] = "waiting"
    deadline = time.monotonic() + 30
    while context.is_active() and time.monotonic() < deadline:
        time.sleep(0.005)
    with OUTCOMES_LOCK:
        OUTCOMES[key] = "timeout" if context.is_active() else "cancelled"


def hold(request, context):
    _hold_until_cancelled(request.decode(), context)
    return b"timeout"


def watch(request, context):
    key = request.decode()
    with OUTCOMES_LOCK:
        OUTCOMES[key] = "waiting"

    def ended():
        # A client that cancels right after the first message can end the RPC before grpcio
        # resumes this generator (it then never does): record the cancellation here too.
        with OUTCOMES_LOCK:
            if OUTCOMES.get(key) == "waiting":
                OUTCOMES[key] = "cancelled"

    context.add_callback(ended)
    yield b"started"
    _hold_until_cancelled(key, context)


def outcome(request, context):
    with OUTCOMES_LOCK:
        return OUTCOMES.get(request.decode(), "unknown").encode()


HANDLERS = {
    "Hold": grpc.unary_unary_rpc_method_handler(hold),
    "Watch": grpc.unary_stream_rpc_method_handler(watch),
    "Outcome": grpc.unary_unary_rpc_method_handler(outcome),
    "Unary": grpc.unary_unary_rpc_method_handler(unary),
    "Size": grpc.unary_unary_rpc_method_handler(size),
    "ServerStream": grpc.unary_stream_rpc_method_handler(server_stream),
    "ClientStream": grpc.stream_unary_rpc_method_handler(client_stream),
    "Bidi": grpc.stream_stream_rpc_method_handler(bidi),
    "Sleep": grpc.unary_unary_rpc_method_handler(sleep),
    "Endless": grpc.unary_stream_rpc_method_handler(endless),
}


def make_server(port, max_streams, reuseport):
    options = [
        ("grpc.max_receive_message_length", 16 << 20),
        ("grpc.max_send_message_length", 16 << 20),
        ("grpc.so_reuseport", 1 if reuseport else 0),
    ]
    if max_streams:
        options.append(("grpc.max_concurrent_streams", max_streams))
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=64), options=options,
                         maximum_concurrent_rpcs=None)
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("interop.Test", HANDLERS),))
    bound = server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    return server, bound


def main():
    args = sys.argv[1:]
    port = int(args[0]) if args and args[0].isdigit() else 0
    max_streams = next((int(a.split("=", 1)[1]) for a in args if a.startswith("--max-streams=")), 0)
    handover = "--handover" in args
    server, bound = make_server(port, max_streams, handover)
    current = [server]
    print(f"PORT {bound}", flush=True)
    stopped = threading.Event()

    def graceful(signum, frame):
        current[0].stop(grace=5).wait()
        stopped.set()

    def hand_over(signum, frame):
        old = current[0]
        current[0], _ = make_server(bound, max_streams, True)
        old.stop(grace=5)

    signal.signal(signal.SIGTERM, graceful)
    signals = {signal.SIGTERM}
    if handover:
        signal.signal(signal.SIGUSR1, hand_over)
        signals.add(signal.SIGUSR1)
    # A parent may spawn us with these signals blocked (the mask is inherited); we must receive them.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, signals)
    # The parent closing our stdin means it is gone: do not outlive it.
    threading.Thread(target=lambda: (sys.stdin.read(), current[0].stop(0), stopped.set()), daemon=True).start()
    stopped.wait()


if __name__ == "__main__":
    main()
