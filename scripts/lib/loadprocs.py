"""Processes for the load scripts (load-compare.py, load-memory.py): free loopback ports,
servers started and waited for until they listen, and every one of them stopped at the end,
by the handle this module keeps (SIGTERM, then SIGKILL after 10 s)."""
import signal, socket, subprocess, sys, time

PROCESSES = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    """Whether something accepts connections on the loopback port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def start(who, arguments, port, log_path):
    """Starts `arguments` with its output in `log_path`; returns once it listens on `port`.
    Exits the script (naming `who`) if it dies or is not listening within 30 s."""
    log = open(log_path, "w+")
    process = subprocess.Popen(arguments, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    PROCESSES.append(process)
    deadline = time.time() + 30
    while time.time() < deadline:
        if process.poll() is not None:
            log.seek(0)
            sys.exit(f"{who}: {arguments[0]} exited: {log.read()[-2000:]}")
        if listening(port):
            return process
        time.sleep(0.1)
    sys.exit(f"{who}: {arguments[0]} did not become ready")


def stop_all():
    for process in PROCESSES:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
