#!/usr/bin/env python3
"""Start-up time of a proxy: from spawning its command to the first CONNECT it answers with 200,
and the resident memory of the process just after. Appends run-bench-style lines to --out.

  startup.py --repeat N --port P --out FILE -- COMMAND...

The CONNECT goes to a listening socket of this script's own on 127.0.0.1, so nothing else is needed.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import time


def answered(port, target_port):
    """One attempt: True when the proxy answered the CONNECT with 200."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(f"CONNECT 127.0.0.1:{target_port} HTTP/1.1\r\nHost: 127.0.0.1:{target_port}\r\n\r\n".encode())
            return s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def rss_kib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def one_run(command, port, target_port):
    start = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not answered(port, target_port):
            if proc.poll() is not None:
                raise SystemExit(f"startup.py: {command[0]} exited with {proc.returncode}")
            if time.monotonic() - start > 30:
                raise SystemExit("startup.py: no answer within 30 s")
            time.sleep(0.002)
        ms = (time.monotonic() - start) * 1000
        first = rss_kib(proc.pid)
        time.sleep(2)  # what an operator sees a moment later, once start-up garbage is collected or not
        return ms, first, rss_kib(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--label", default="tunnelgate")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    command = a.command[1:] if a.command[:1] == ["--"] else a.command
    target = socket.socket()
    target.bind(("127.0.0.1", 0))
    target.listen(64)
    with open(a.out, "a", encoding="utf-8") as out:
        for r in range(1, a.repeat + 1):
            ms, first, later = one_run(command, a.port, target.getsockname()[1])
            line = (f"step=startup run={r} scenario=startup proxy={a.label} value={ms:.0f} unit=ms "
                    f"rss_kib={first} rss_2s_kib={later} errors=0")
            print(line)
            out.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
