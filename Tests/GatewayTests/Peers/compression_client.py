#!/usr/bin/env python3
"""An independent HTTP client for the gateway's compression tests: Python's http.client, gzip
and zlib decode what the gateway sends.

  compression_client.py decode URL
      GETs URL three times (Accept-Encoding identity, gzip, deflate), decodes the compressed
      answers with gzip.decompress / zlib.decompress and checks they equal the identity answer.
      Prints "OK identity=<n> gzip=<n> deflate=<n>" (body sizes on the wire) or "FAIL <why>".
  compression_client.py stream URL
      GETs a streamed, gzip-compressed answer and decodes it incrementally as chunks arrive.
      Prints "FIRST <seconds> END <seconds> LINES <n>": when the first complete message was
      decoded and when the stream ended, from the request's start.
  compression_client.py bomb FILE BYTES
      Writes a gzip stream of BYTES zero bytes to FILE (streamed, so memory stays small).
"""
import gzip
import http.client
import json
import sys
import time
import urllib.parse
import zlib


def get(url, headers):
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    connection.request("GET", parts.path + ("?" + parts.query if parts.query else ""), headers=headers)
    return connection, connection.getresponse()


def decode(url):
    sizes = {}
    bodies = {}
    for coding in ("identity", "gzip", "deflate"):
        connection, response = get(url, {"Accept-Encoding": coding})
        raw = response.read()
        connection.close()
        got = response.getheader("Content-Encoding")
        if response.status != 200:
            return f"FAIL {coding}: status {response.status}"
        if coding != "identity" and got != coding:
            return f"FAIL {coding}: Content-Encoding {got}"
        if int(response.getheader("Content-Length", "-1")) != len(raw):
            return f"FAIL {coding}: Content-Length {response.getheader('Content-Length')} for {len(raw)} bytes"
        if "Accept-Encoding" not in (response.getheader("Vary") or ""):
            return f"FAIL {coding}: Vary {response.getheader('Vary')}"
        sizes[coding] = len(raw)
        bodies[coding] = gzip.decompress(raw) if coding == "gzip" else zlib.decompress(raw) if coding == "deflate" else raw
    reference = json.loads(bodies["identity"])
    for coding in ("gzip", "deflate"):
        if json.loads(bodies[coding]) != reference:
            return f"FAIL {coding}: decoded body differs"
    return "OK " + " ".join(f"{k}={v}" for k, v in sizes.items())


def stream(url):
    start = time.monotonic()
    connection, response = get(url, {"Accept-Encoding": "gzip", "Accept": "application/x-ndjson"})
    if response.getheader("Content-Encoding") != "gzip":
        return f"FAIL Content-Encoding {response.getheader('Content-Encoding')}"
    inflater = zlib.decompressobj(wbits=31)
    text = b""
    first = None
    while True:
        chunk = response.read1(65536)
        if not chunk:
            break
        text += inflater.decompress(chunk)
        if first is None and b"\n" in text:
            first = time.monotonic() - start
    end = time.monotonic() - start
    connection.close()
    if not inflater.eof:
        return "FAIL the gzip stream did not end"
    lines = [json.loads(line) for line in text.split(b"\n") if line]
    return f"FIRST {first:.3f} END {end:.3f} LINES {len(lines)}"


def bomb(path, size):
    block = bytes(1 << 20)
    with open(path, "wb") as out:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        for _ in range(size >> 20):
            out.write(compressor.compress(block))
        out.write(compressor.flush())
    return "OK"


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "decode":
        print(decode(sys.argv[2]))
    elif command == "stream":
        print(stream(sys.argv[2]))
    elif command == "bomb":
        print(bomb(sys.argv[2], int(sys.argv[3])))
