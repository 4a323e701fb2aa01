#!/usr/bin/env python3
"""Loopback load comparison: our gateway vs Envoy 1.40's grpc_json_transcoder, same backend.

Run through scripts/load-compare.sh (which builds the release binary and prepares wrk, h2load
and Envoy). Every process is started here on 127.0.0.1, stopped by PID at the end, and every load
is bounded in time.

1. The backend (`grpc-gateway demo --backend-only`, its own process) is measured directly with
   h2load sending gRPC frames, so it is known not to be the bottleneck.
2. Our gateway (release `serve`, own process) and Envoy (`--concurrency 2`, transcoder pointing at
   protos/descriptors/bookstore.pb) each get: wrk --latency for GET /v1/shelves/1/books/2 and a
   POST echo of a ~1 KB JSON body (UpdateBook), at 32 and 256 connections; then h2load over h2c
   for the same (ours only once `serve` accepts h2c; skipped with a message otherwise).
3. For each run: req/s, p50/p99 (wrk; h2load gives the mean), gateway CPU (cores used, from
   /proc/PID/stat), req/s per gateway core, and the gateway's peak RSS (VmHWM). Then our/Envoy.
"""
import argparse, json, os, re, signal, socket, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts/lib"))
from loadprocs import free_port, start as start_process, stop_all  # noqa: E402
DESCRIPTORS = os.path.join(ROOT, "protos/descriptors/bookstore.pb")
TICKS = os.sysconf("SC_CLK_TCK")


def start(arguments, port, log_name):
    return start_process("load-compare", arguments, port, os.path.join(SCRATCH, log_name))


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url, connections, seconds, script=None):
    arguments = ["wrk", "--latency", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "5s"]
    if script:
        arguments += ["-s", script]
    output = subprocess.run(arguments + [url], capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {"rps": rps, "p50": p50, "p99": p99, "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "errors": errors.group(1) if errors else ""}


def h2load(url, connections, seconds, data=None, headers=()):
    arguments = ["h2load", "-D", str(seconds), "-c", str(connections), "-m", "1", "-t", "1", "--warm-up-time", "1"]
    if data:
        arguments += ["-d", data]
    for header in headers:
        arguments += ["-H", header]
    output = subprocess.run(arguments + [url], capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", output).group(1))
    mean = to_ms(re.search(r"time for request:\s+\S+\s+\S+\s+(\S+)", output).group(1))
    ok = re.search(r"status codes: (\d+) 2xx", output)
    done = re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded", output)
    return {"rps": rps, "mean": mean, "ok2xx": int(ok.group(1)) if ok else 0,
            "succeeded": int(done.group(2)) if done else 0}


def measure(pid, run):
    cpu0, t0 = cpu_seconds(pid), time.time()
    result = run()
    cpu1, t1 = cpu_seconds(pid), time.time()
    result["cores"] = (cpu1 - cpu0) / (t1 - t0)
    result["per_core"] = result["rps"] / result["cores"] if result["cores"] > 0 else 0.0
    result["rss_mb"] = peak_rss_mb(pid)
    return result


def envoy_descriptors():
    """The bookstore schema for Envoy: its transcoder refuses `response_body` on a non-HttpBody
    reply (GetShelfTheme), so that one option is dropped; nothing the loads use changes."""
    folder = os.path.join(SCRATCH, "envoy-protos/examples/bookstore/v1")
    os.makedirs(folder)
    with open(os.path.join(ROOT, "protos/examples/bookstore/v1/bookstore.proto")) as f:
        text = f.read()
    with open(os.path.join(folder, "bookstore.proto"), "w") as f:
        f.write(text.replace('response_body: "theme"', ""))
    out = os.path.join(SCRATCH, "envoy-bookstore.pb")
    subprocess.run(["protoc", "-I", os.path.join(SCRATCH, "envoy-protos"), "-I", os.path.join(ROOT, "protos"),
                    "--include_imports", f"--descriptor_set_out={out}", "examples/bookstore/v1/bookstore.proto"],
                   check=True)
    return out


def envoy_config(port, backend_port):
    return f"""
static_resources:
  listeners:
  - name: rest
    address: {{socket_address: {{address: 127.0.0.1, port_value: {port}}}}}
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: rest
          codec_type: AUTO
          route_config:
            virtual_hosts:
            - name: all
              domains: ["*"]
              routes:
              - match: {{prefix: "/"}}
                route: {{cluster: backend, timeout: 30s}}
          http_filters:
          - name: envoy.filters.http.grpc_json_transcoder
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder
              proto_descriptor: "{envoy_descriptors()}"
              services: ["example.bookstore.v1.Bookstore"]
              auto_mapping: true
              convert_grpc_status: true
          - name: envoy.filters.http.router
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
  clusters:
  - name: backend
    type: STATIC
    connect_timeout: 1s
    typed_extension_protocol_options:
      envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
        "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
        explicit_http_config: {{http2_protocol_options: {{}}}}
    load_assignment:
      cluster_name: backend
      endpoints:
      - lb_endpoints:
        - endpoint: {{address: {{socket_address: {{address: 127.0.0.1, port_value: {backend_port}}}}}}}
"""


def grpc_frame(message):
    return b"\x00" + len(message).to_bytes(4, "big") + message


def main():
    global SCRATCH
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--envoy")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    SCRATCH = tempfile.mkdtemp(prefix="load-compare-")
    seconds = args.seconds

    book = {"name": "shelves/1/books/1", "title": "A Long Book", "author": "Somebody", "genre": "GENRE_FICTION",
            "pageCount": "512", "labels": {"d": "lorem ipsum dolor sit amet " * 34}}
    body_path = os.path.join(SCRATCH, "echo.json")
    with open(body_path, "w") as f:
        json.dump({"book": book}, f)
    print(f"POST echo body: {os.path.getsize(body_path)} bytes")
    post_lua = os.path.join(SCRATCH, "post.lua")
    with open(post_lua, "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["content-type"] = "application/json"\n')
        f.write("wrk.body = [[" + open(body_path).read() + "]]\n")
    get_path = "/v1/shelves/1/books/2"
    post_path = "/example.bookstore.v1.Bookstore/UpdateBook"

    backend_port = free_port()
    backend = start([args.binary, "demo", "--backend-only", "--listen", f"127.0.0.1:{backend_port}"],
                    backend_port, "backend.log")
    # GetBook{shelf: 1, book: 2}, framed for gRPC: the backend alone, as the gateways will call it.
    grpc_get = os.path.join(SCRATCH, "getbook.bin")
    with open(grpc_get, "wb") as f:
        f.write(grpc_frame(bytes([0x08, 0x01, 0x10, 0x02])))
    results = {"backend": {}, "ours": {}, "envoy": {}}
    for connections in (32, 256):
        r = measure(backend.pid, lambda: h2load(
            f"http://127.0.0.1:{backend_port}/example.bookstore.v1.Bookstore/GetBook", connections, seconds,
            data=grpc_get, headers=["content-type: application/grpc", "te: trailers"]))
        results["backend"][f"grpc GetBook c{connections}"] = r
        print(f"backend alone, h2load gRPC GetBook, {connections} conns: {r['rps']:.0f} req/s, mean {r['mean']:.2f} ms, "
              f"{r['succeeded']} ok, backend cores {r['cores']:.2f}")

    gateways = [("ours", [args.binary, "serve", "--descriptor-set", DESCRIPTORS, "--backend",
                          f"127.0.0.1:{backend_port}", "--no-access-log", "--listen"])]
    if args.envoy:
        gateways.append(("envoy", None))
    for name, command in gateways:
        port = free_port()
        if name == "ours":
            process = start(command + [f"127.0.0.1:{port}"], port, "ours.log")
        else:
            config = os.path.join(SCRATCH, "envoy.yaml")
            with open(config, "w") as f:
                f.write(envoy_config(port, backend_port))
            process = start([args.envoy, "-c", config, "--concurrency", "2", "--disable-hot-restart", "-l", "error",
                             "--base-id", str(os.getpid() % 60000)], port, "envoy.log")
        base = f"http://127.0.0.1:{port}"
        # Warm up (connections to the backend, caches).
        wrk(base + get_path, 8, 1)
        for label, path, script in (("GET", get_path, None), ("POST 1KB echo", post_path, post_lua)):
            for connections in (32, 256):
                r = measure(process.pid, lambda: wrk(base + path, connections, seconds, script))
                results[name][f"wrk {label} c{connections}"] = r
                print(f"{name:5} wrk {label:13} c{connections:<3}: {r['rps']:8.0f} req/s  p50 {r['p50']:6.2f} ms  "
                      f"p99 {r['p99']:6.2f} ms  cores {r['cores']:.2f}  {r['per_core']:7.0f} req/s/core  "
                      f"RSS {r['rss_mb']:.1f} MB  non-2xx {r['non2xx']} {r['errors']}")
        probe = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--http2-prior-knowledge",
                                "--max-time", "3", base + get_path], capture_output=True, text=True).stdout
        if probe != "200":
            print(f"{name:5} h2c: skipped (prior-knowledge h2c answered '{probe}'; serve does not accept h2c yet)")
        else:
            for label, path, data in (("GET", get_path, None), ("POST 1KB echo", post_path, body_path)):
                for connections in (32, 256):
                    headers = ["content-type: application/json"] if data else []
                    r = measure(process.pid, lambda: h2load(base + path, connections, seconds, data, headers))
                    results[name][f"h2load {label} c{connections}"] = r
                    print(f"{name:5} h2c {label:13} c{connections:<3}: {r['rps']:8.0f} req/s  mean {r['mean']:6.2f} ms  "
                          f"cores {r['cores']:.2f}  {r['per_core']:7.0f} req/s/core  RSS {r['rss_mb']:.1f} MB  "
                          f"2xx {r['ok2xx']}")
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)

    if results["envoy"]:
        print("\nours / Envoy (req/s, req/s per gateway core, p99):")
        for key, ours in results["ours"].items():
            envoy = results["envoy"].get(key)
            if not envoy:
                continue
            p99 = f"  p99 {ours['p99'] / envoy['p99']:.2f}x" if "p99" in ours else ""
            print(f"  {key:22} {ours['rps'] / envoy['rps']:.2f}x  per core "
                  f"{ours['per_core'] / envoy['per_core'] if envoy['per_core'] else 0:.2f}x{p99}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    try:
        main()
    finally:
        stop_all()
