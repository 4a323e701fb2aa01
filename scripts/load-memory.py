#!/usr/bin/env python3
"""Where the gateway's memory goes: its RSS at each stage of a loopback load, split into anonymous
(heap, stacks) and file-backed (binary and shared-library pages) memory, with glibc's per-arena
malloc statistics.

    python3 scripts/load-memory.py --binary .build-static/release/grpc-gateway [--seconds N] [--no-malloc-stats]

Stages: idle after start; 256 h2c connections opened and idle (preface + SETTINGS, no stream);
each h2load load (GET, 1 KB POST echo) at 256 connections; the same over HTTP/1.1 with wrk; then
idle again once every client is gone. After each stage it prints VmRSS, RssAnon, RssFile and the
peak (VmHWM). With gdb present (and not --no-malloc-stats) it also asks the gateway's glibc for
`malloc_stats()` (written to the gateway's standard error, read back from its log): the bytes
each arena holds from the system and how many of them are in use.

Every process is started on 127.0.0.1 and stopped by PID at the end; every load is bounded.
"""
import argparse, os, re, signal, socket, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts/lib"))
from loadprocs import free_port, start as start_process, stop_all  # noqa: E402
DESCRIPTORS = os.path.join(ROOT, "protos/descriptors/bookstore.pb")
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])


def start(arguments, port, log_path):
    return start_process("load-memory", arguments, port, log_path)


def status(pid):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile", "VmHWM", "Threads"):
                values[key] = int(rest.split()[0])
    return values


def malloc_stats(pid, log_path):
    """glibc's per-arena totals, asked for through gdb: (arenas, system bytes, in-use bytes)."""
    with open(log_path) as f:
        f.seek(0, os.SEEK_END)
        offset = f.tell()
    result = subprocess.run(["gdb", "-batch", "-nx", "-p", str(pid), "-ex", "call (void) malloc_stats()"],
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        return None
    time.sleep(0.2)
    with open(log_path) as f:
        f.seek(offset)
        text = f.read()
    arenas = len(re.findall(r"^Arena \d+:", text, re.M))
    total = re.search(r"Total \(incl\. mmap\):\s+system bytes\s+=\s+(\d+)\s+in use bytes\s+=\s+(\d+)", text)
    if not total:
        return None
    return arenas, int(total.group(1)), int(total.group(2))


def report(label, pid, log_path, with_malloc):
    s = status(pid)
    line = (f"{label:34} RSS {s['VmRSS'] / 1024:6.1f} MB  anon {s['RssAnon'] / 1024:6.1f}  "
            f"file {s['RssFile'] / 1024:5.1f}  peak {s['VmHWM'] / 1024:6.1f}  threads {s['Threads']}")
    if with_malloc:
        stats = malloc_stats(pid, log_path)
        if stats:
            line += f"  malloc: {stats[0]} arenas, {stats[1] / 2**20:.1f} MB from system, {stats[2] / 2**20:.1f} MB in use"
    print(line, flush=True)
    return s


def hold_h2c(port, count):
    sockets = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(PREFACE)
        sockets.append(s)
    time.sleep(1)
    for s in sockets:
        s.setblocking(False)
        try:
            s.recv(65536)
        except BlockingIOError:
            pass
    return sockets


def run(arguments, seconds):
    output = subprocess.run(arguments, capture_output=True, text=True, timeout=seconds + 30).stdout
    found = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", output) or re.search(r"Requests/sec:\s+([\d.]+)", output)
    return float(found.group(1)) if found else 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--no-malloc-stats", action="store_true")
    parser.add_argument("serve_arguments", nargs="*", help="extra arguments for serve")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="load-memory-")
    with_malloc = not args.no_malloc_stats and subprocess.run(["which", "gdb"], capture_output=True).returncode == 0
    body = os.path.join(scratch, "echo.json")
    with open(body, "w") as f:
        f.write('{"book":{"name":"shelves/1/books/1","title":"A Long Book","author":"Somebody",'
                '"genre":"GENRE_FICTION","pageCount":"512","labels":{"d":"' + "lorem ipsum dolor sit amet " * 34 + '"}}}')
    post_lua = os.path.join(scratch, "post.lua")
    with open(post_lua, "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["content-type"] = "application/json"\n')
        f.write("wrk.body = [[" + open(body).read() + "]]\n")

    backend_port, port = free_port(), free_port()
    start([args.binary, "demo", "--backend-only", "--listen", f"127.0.0.1:{backend_port}"], backend_port,
          os.path.join(scratch, "backend.log"))
    log_path = os.path.join(scratch, "gateway.log")
    gateway = start([args.binary, "serve", "--descriptor-set", DESCRIPTORS, "--backend", f"127.0.0.1:{backend_port}",
                     "--no-access-log", "--listen", f"127.0.0.1:{port}"] + args.serve_arguments, port, log_path)
    pid, base, n, seconds = gateway.pid, f"http://127.0.0.1:{port}", args.connections, args.seconds
    time.sleep(0.5)
    report("idle", pid, log_path, with_malloc)
    held = hold_h2c(port, n)
    report(f"{n} h2c connections open, idle", pid, log_path, with_malloc)
    for s in held:
        s.close()
    time.sleep(0.5)
    report("those closed", pid, log_path, with_malloc)
    get, echo = base + "/v1/shelves/1/books/2", base + "/example.bookstore.v1.Bookstore/UpdateBook"
    h2load = ["h2load", "-D", str(seconds), "-c", str(n), "-m", "1", "-t", "1"]
    wrk = ["wrk", "-t", "1", "-c", str(n), "-d", f"{seconds}s", "--timeout", "5s"]
    for label, command in (
        ("h2c GET", h2load + [get]),
        ("h2c POST 1KB echo", h2load + ["-d", body, "-H", "content-type: application/json", echo]),
        ("HTTP/1.1 GET", wrk + [get]),
        ("HTTP/1.1 POST 1KB echo", wrk + ["-s", post_lua, echo]),
    ):
        rps = run(command, seconds)
        report(f"after {label} c{n} ({rps:.0f}/s)", pid, log_path, with_malloc)
    time.sleep(1)
    report("idle again", pid, log_path, with_malloc)


if __name__ == "__main__":
    try:
        main()
    finally:
        stop_all()
