#!/usr/bin/env python3
"""Java heap per idle tunnel, by class: a class histogram of live objects (jcmd; it runs a full GC
first) before any tunnel and while connectbench holds N idle tunnels through the proxy, the
difference divided by N. Writes 'class=... bytes_per_tunnel=... instances_per_tunnel=...' lines.

  idle_histogram.py --pid PID --port P --connectbench BIN --out FILE [--tunnels N]
"""
import argparse
import subprocess
import sys
import time


def histogram(pid):
    out = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], capture_output=True, text=True, check=True).stdout
    classes = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0].endswith(":") and parts[0][:-1].isdigit():
            classes[parts[3]] = (int(parts[1]), int(parts[2]))
    return classes


def established(port):
    out = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{port} )"],
                         capture_output=True, text=True, check=True).stdout
    return sum(1 for line in out.splitlines() if line.strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--connectbench", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tunnels", type=int, default=9000)
    ap.add_argument("--top", type=int, default=20)
    a = ap.parse_args()
    before = histogram(a.pid)
    bench = subprocess.Popen([a.connectbench, "idle-tunnels", "-p", f"127.0.0.1:{a.port}", "-c", str(a.tunnels),
                              "--src-addrs", "8", "--hold", "20", "--pid", str(a.pid)],
                             stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while established(a.port) < a.tunnels:
        if bench.poll() is not None or time.monotonic() > deadline:
            bench.kill()
            raise SystemExit("idle_histogram.py: the tunnels did not all open")
        time.sleep(0.2)
    time.sleep(1)  # the last tunnels' CONNECT answers and relay set-up settle
    during = histogram(a.pid)
    bench.wait(timeout=120)
    rows = []
    for name, (count, size) in during.items():
        c0, s0 = before.get(name, (0, 0))
        rows.append((name, (size - s0) / a.tunnels, (count - c0) / a.tunnels))
    rows.sort(key=lambda r: -r[1])
    total = sum(r[1] for r in rows)
    with open(a.out, "w", encoding="utf-8") as out:
        out.write(f"total bytes_per_tunnel={total:.0f} tunnels={a.tunnels}\n")
        for name, per, inst in rows[:int(a.__dict__.get("top", 20))]:
            out.write(f"class={name} bytes_per_tunnel={per:.1f} instances_per_tunnel={inst:.2f}\n")
    print(open(a.out, encoding="utf-8").read())
    return 0


if __name__ == "__main__":
    sys.exit(main())
