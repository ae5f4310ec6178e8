#!/usr/bin/env python3
"""Writes docs/benchmarks.md from run-bench result lines (bench/run calls this).

One row per step, one column per proxy (the median of the repeated runs, with their range), the
ratio of Tunnelgate to the best reference proxy measured in the same run, issue 7's targets
checked against nginx with the proxy_connect module measured in the same run (when bench/run had
$NGINX_BIN; otherwise against the issue's figures for it, scaled by this run's direct-split ratio)
and against the load generator's own limit (`direct`, no proxy), and the raw lines.
"""
import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys

LINE = re.compile(r"^step=(\S+) run=(\d+) (.*)$")
# step, unit shown, field, higher is better
ROWS = [
    ("tp-up-1", "MB/s", "value", True), ("tp-up-8", "MB/s", "value", True),
    ("tp-down-1", "MB/s", "value", True), ("tp-down-8", "MB/s", "value", True),
    ("echo-1", "rt/s", "value", True), ("echo-1", "p50 µs", "p50_us", False),
    ("echo-64", "rt/s", "value", True), ("http", "req/s", "value", True),
    ("connect-rate", "tunnels/s", "value", True),
    ("idle", "KiB/tunnel idle", "value", False), ("idle", "KiB/tunnel after echo", "active_kib_per_tunnel", False),
    ("startup", "ms to first CONNECT answered", "value", False), ("startup", "RSS KiB just started", "rss_kib", False),
]
# steps bench/run repeats with the access log on: (step, field, higher is better)
LOG_ROWS = [("tp-up-8", "value", True), ("tp-down-8", "value", True), ("http", "value", True),
            ("connect-rate", "value", True), ("idle", "value", False), ("idle", "active_kib_per_tunnel", False)]
# issue 7: (step, field, nginx low, nginx high, direct-split low, direct-split high, factor, higher better)
TARGETS = [
    ("tp-up-8", "value", 1523, 1613, 3895, 6397, 1.6, True),
    ("tp-down-8", "value", 1619, 1645, 4310, 4615, 1.6, True),
    ("tp-down-1", "value", 1052, 1722, 4394, 4534, 2.0, True),
    ("echo-1", "p50_us", 52, 55, 23, 23, 0.9, False),
    ("echo-64", "value", 39008, 44792, 126828, 141473, 1.3, True),
    ("connect-rate", "value", 7116, 8578, 19304, 19634, 1.25, True),
    ("http", "value", 11934, 13397, 117039, 129115, 3.0, True),
]
IDLE_TARGETS = [("value", 4.0), ("active_kib_per_tunnel", 8.0)]
DIRECT = ("direct", "direct-split")
OURS = "tunnelgate"
LOGGED = "tunnelgate+log"
# the throughput steps with relay_splice off
BUFFERS = "tunnelgate-buffers"
NGINX = "nginx"
# the idle step in a process that had served nothing yet (bench/run step 3)
FRESH = ("tunnelgate-fresh", "tunnelgate+log-fresh")
OWN = (OURS, LOGGED, BUFFERS) + FRESH


def parse(path):
    results = {}
    raw = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = LINE.match(line)
        if not m:
            continue
        raw.append(line)
        fields = dict(kv.split("=", 1) for kv in m.group(3).split() if "=" in kv)
        fields["run"] = m.group(2)
        results.setdefault((fields.get("proxy"), m.group(1)), []).append(fields)
    return results, raw


def values(results, proxy, step, field):
    out = []
    for f in results.get((proxy, step), []):
        try:
            out.append(float(f[field]))
        except (KeyError, ValueError):
            pass
    return out


def cell(vs):
    if not vs:
        return "–"
    med = statistics.median(vs)
    text = fmt(med)
    return text if len(vs) == 1 else f"{text} ({fmt(min(vs))}–{fmt(max(vs))})"


def fmt(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.2f}" if v < 10 else f"{v:.1f}"


def version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        text = (out.stdout + out.stderr).strip().splitlines()
        return text[0] if text else "?"
    except (OSError, subprocess.SubprocessError):
        return "not installed"


def versus_row(name, base, other, higher):
    """A row of two of Tunnelgate's configs side by side, with the second's median over the first's."""
    ratio = statistics.median(other) / statistics.median(base)
    return f"| {name} | {cell(base)} | {cell(other)} | {ratio:.2f}×{'' if higher else ' (lower is better)'} |"


def access_log_table(w, results):
    """Tunnelgate with its access log on against off, step by step."""
    rows = []
    for step, field, higher in LOG_ROWS:
        off, on = values(results, OURS, step, field), values(results, LOGGED, step, field)
        if off and on:
            rows.append(versus_row(f"{step} {field}", off, on, higher))
    if rows:
        w.append("## Access log on\n")
        w.append("| step | log off | log on | on ÷ off |")
        w.append("|---|---|---|---|")
        w.extend(rows)
        w.append("")


def buffers_table(w, results):
    """The throughput steps spliced (the default) against through buffers (relay_splice off)."""
    rows = []
    for step, unit, field, higher in ROWS:
        spliced, buffered = values(results, OURS, step, field), values(results, BUFFERS, step, field)
        if spliced and buffered:
            rows.append(versus_row(f"{step} {unit}", spliced, buffered, higher))
    if rows:
        w.append("## Splice against buffers\n")
        w.append("The throughput steps again in a process with `relay_splice off` (warmed the same way). "
                 "Splicing takes the copy out of the proxy: bytes pass from one socket to the other "
                 "through a kernel pipe, where buffers copy each byte into the JVM and out again. On "
                 "loopback the load generator copies every byte either way and is usually the first to "
                 "run out of CPU (see `harness_cpu` and `proxy_cpu` in the raw lines).\n")
        w.append("| step | splice (default) | buffers | buffers ÷ splice |")
        w.append("|---|---|---|---|")
        w.extend(rows)
        w.append("")


def targets_table(w, results):
    """Issue 7's targets: against nginx measured in this run, or its published figures scaled."""
    measured = bool(results.get((NGINX, "http")) or results.get((NGINX, "echo-64")))
    w.append("## Issue 7's targets\n")
    if measured:
        w.append("Against nginx with the proxy_connect module measured in this run (the median of its runs, "
                 "in the results above). nginx with the module is not packaged: the binary bench/run was "
                 "given in `$NGINX_BIN` was built outside the project, as bench/run's header describes, on "
                 "the anchor config `../shared/bench/anchors/nginx-proxy-connect.conf` (two workers).\n")
        w.append("`direct` is the load generator with no proxy: one thread serves both the clients and the "
                 "origins, and through a proxy it still does all of that work, so `direct` is, up to the "
                 "noise between moments of the run, the most any proxy can let it reach on this machine "
                 "(for a latency, the least it can wait). A target beyond that limit cannot be met here by "
                 "any proxy, however fast; the last column says where each target stands against it.\n")
        w.append("| step | nginx (this run) | target | Tunnelgate | Tunnelgate ÷ nginx | met "
                 "| harness limit (direct) | target ÷ limit |")
        w.append("|---|---|---|---|---|---|---|---|")
    else:
        w.append("nginx with the module was not at hand (`$NGINX_BIN` unset), so its figures are the "
                 "issue's (nginx 1.26.2, two runs on a machine of this kind), scaled by this run's "
                 "direct-split figure over the issue's.\n")
        w.append("| step | nginx (issue) | scaled to this run | target | Tunnelgate | met |")
        w.append("|---|---|---|---|---|---|")
    for step, field, lo, hi, dlo, dhi, factor, higher in TARGETS:
        ours = values(results, OURS, step, field)
        if measured:
            theirs = values(results, NGINX, step, field)
            if not ours or not theirs:
                continue
            nginx = statistics.median(theirs)
        else:
            direct = values(results, "direct-split", step, field)
            if not ours or not direct:
                continue
            # a slower or faster machine moves nginx the same way: rates and latencies both scale
            nginx = (lo + hi) / 2 * statistics.median(direct) / ((dlo + dhi) / 2)
        target = nginx * factor
        mine = statistics.median(ours)
        met = "yes" if (mine >= target if higher else mine <= target) else "no"
        sign = "≥" if higher else "≤"
        if measured:
            limit = values(results, "direct", step, field)
            limit_cells = (f"{fmt(statistics.median(limit))} | {target / statistics.median(limit):.2f}×"
                           if limit else "– | –")
            w.append(f"| {step} {field} | {fmt(nginx)} | {sign} {factor}× = {fmt(target)} | {fmt(mine)} | "
                     f"{mine / nginx:.2f}× | {met} | {limit_cells} |")
        else:
            w.append(f"| {step} {field} | {lo}–{hi} | {fmt(nginx)} | {sign} {fmt(target)} | {fmt(mine)} | {met} |")
    for field, limit in IDLE_TARGETS:
        ours = values(results, OURS, "idle", field)
        if ours:
            mine = statistics.median(ours)
            # memory per tunnel does not scale with the machine's speed: the limit is absolute
            fresh = values(results, FRESH[0], "idle", field)
            note = f" (fresh process: {fmt(statistics.median(fresh))})" if fresh else ""
            met = "yes" if mine <= limit else "no"
            if measured:
                theirs = values(results, NGINX, "idle", field)
                nginx, ratio = ((fmt(statistics.median(theirs)), f"{mine / statistics.median(theirs):.2f}×")
                                if theirs else ("–", "–"))
                w.append(f"| idle {field} | {nginx} | ≤ {limit} KiB | {fmt(mine)}{note} | {ratio} | {met} | – | – |")
            else:
                w.append(f"| idle {field} | 9.6 / 17.7 | – | ≤ {limit} KiB | {fmt(mine)}{note} | {met} |")
    w.append("")


def idle_heap_table(w, results):
    """The warmed idle runs' old generation: the tunnels must land on pages the warm-up never touched."""
    rows = [(p, f) for p in (OURS, LOGGED) for f in results.get((p, "idle-heap"), [])]
    if not rows:
        return
    w.append("## Idle after warm-up: the old generation\n")
    w.append("The serial collector promotes into the old generation upwards, without reusing space, until "
             "a full collection. So when no full collection ran during the idle step, every idle tunnel "
             "promoted there landed on pages the warm-up never touched, and the warm-up hides none of the "
             "tunnels' memory. jstat, KiB:\n")
    w.append("| run | proxy | old generation used before | with the idle tunnels | full collections during |")
    w.append("|---|---|---|---|---|")
    for p, f in rows:
        w.append(f"| {f['run']} | {p} | {f.get('old_gen_before_kib')} | {f.get('old_gen_idle_kib')} | "
                 f"{f.get('full_gcs_during')} |")
    w.append("")


def first_passes_table(w, path, results):
    """Tunnelgate's warm-up passes before the measured runs, step by step."""
    if not path:
        return
    try:
        passes, _ = parse(path)
    except OSError:
        return
    rows = []
    for step, unit, field, higher in ROWS:
        for proxy in (OURS, LOGGED, BUFFERS):
            firsts = passes.get((proxy, step), [])
            measured = values(results, proxy, step, field)
            if not firsts or not measured:
                continue
            cells = " | ".join(fmt(float(f[field])) for f in firsts if field in f)
            rows.append(f"| {step} {unit} | {proxy} | {cells} | {cell(measured)} |")
    if rows:
        w.append("## Warm-up passes (not in the results)\n")
        w.append("Each Tunnelgate process ran the load steps three times (5 s each) before the measured runs; "
                 "these are those passes' figures, as the JIT compiles the paths each step uses.\n")
        w.append("| step | proxy | pass 1 | pass 2 | pass 3 | measured (median, range) |")
        w.append("|---|---|---|---|---|---|")
        w.extend(rows)
        w.append("")


def histogram_table(w, path):
    """Live Java heap per idle tunnel by class (bench/idle_histogram.py)."""
    if not path:
        return
    try:
        lines = open(path, encoding="utf-8").read().split("\n")
    except OSError:
        return
    fields = [dict(kv.split("=", 1) for kv in l.split() if "=" in kv) for l in lines if l.strip()]
    if not fields:
        return
    total = fields[0]
    w.append("## Java heap per idle tunnel, by class\n")
    w.append(f"Live objects (a class histogram, after a full GC) while {total.get('tunnels')} tunnels idle, "
             f"minus the same before the first: {total.get('bytes_per_tunnel')} bytes per tunnel in all. "
             "The largest classes:\n")
    w.append("| class | bytes per tunnel | instances per tunnel |")
    w.append("|---|---|---|")
    for f in fields[1:]:
        w.append(f"| `{f['class']}` | {float(f['bytes_per_tunnel']):.0f} | {float(f['instances_per_tunnel']):.2f} |")
    w.append("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("raw")
    ap.add_argument("out")
    ap.add_argument("--histogram")
    ap.add_argument("--first-passes")
    ap.add_argument("--java-opts", default="")
    ap.add_argument("--command", default="bench/run")
    a = ap.parse_args()
    results, raw = parse(a.raw)
    proxies = []
    for proxy, _ in results:
        if proxy not in proxies:
            proxies.append(proxy)
    refs = [p for p in proxies if p not in DIRECT and p not in OWN]
    # the direct path, then Tunnelgate's configs side by side, then the references
    proxies = [p for p in proxies if p in DIRECT] + [p for p in OWN if p in proxies] + refs
    runs = max((len(v) for (_, step), v in results.items() if step not in ("startup", "idle-heap")), default=0)

    w = []
    w.append("# Benchmarks\n")
    w.append(f"Written by `{a.command}` on {datetime.date.today().isoformat()}; "
             f"every column below was measured in that one run, {runs} time(s) per step "
             "(cells: median, with the range over the runs). `tunnelgate` has its access log off, as "
             "the reference proxies' configs do; `tunnelgate+log` is the same config writing the access "
             "log to a file. Tunnelgate's load steps ran after three warm-up passes of the same steps "
             "(below, with their figures). The `idle` step ran in a freshly started process each time: "
             "`tunnelgate-fresh` as started, `tunnelgate` after 5 s each of connect-rate and echo-1 "
             "(the JIT-compiled code, class metadata and compiler memory a JVM pays once, not per "
             "tunnel; see the old-generation check below). Steps and figures are explained in "
             "`../shared/bench/README.md`.\n")
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    w.append(f"Machine: {cpu}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores, "
             f"Linux {platform.release()}. Java: {version(['java', '-version'])}"
             f"{'; JVM options `' + a.java_opts + '` after the launcher' + chr(39) + 's' if a.java_opts else ''}; "
             "the launcher's JVM options are in [jvm-options.md](jvm-options.md). "
             f"squid: {version(['squid', '-v'])}. tinyproxy: {version(['tinyproxy', '-v'])}. "
             f"apache: {version(['apache2', '-v'])}. "
             f"nginx: {version([os.environ['NGINX_BIN'], '-V']) if os.environ.get('NGINX_BIN') else 'not run'}"
             f"{' (built outside the project, see below)' if os.environ.get('NGINX_BIN') else ''}.\n")
    w.append("## Results\n")
    head = "| step | unit | " + " | ".join(proxies) + " | Tunnelgate ÷ best reference |"
    w.append(head)
    w.append("|" + "---|" * (len(proxies) + 3))
    for step, unit, field, higher in ROWS:
        cells = [cell(values(results, p, step, field)) for p in proxies]
        if all(c == "–" for c in cells):
            continue
        ours = values(results, OURS, step, field)
        best = [statistics.median(values(results, p, step, field)) for p in refs if values(results, p, step, field)]
        ratio = "–"
        if ours and best:
            b = max(best) if higher else min(best)
            ratio = f"{statistics.median(ours) / b:.2f}×" + ("" if higher else " (lower is better)")
        w.append(f"| {step} | {unit} | " + " | ".join(cells) + f" | {ratio} |")
    w.append("")
    targets_table(w, results)
    idle_heap_table(w, results)
    access_log_table(w, results)
    buffers_table(w, results)
    first_passes_table(w, a.first_passes, results)
    histogram_table(w, a.histogram)
    w.append("## Raw lines\n")
    w.append("```")
    w.extend(raw)
    w.append("```")
    # the JMH figures are written by hand after bench/jmh/run; this file is rewritten on every run,
    # so they live in their own page and this section only points there
    w.append("")
    w.append("## Hot paths (JMH)\n")
    w.append("Time and allocation per request of parsing, variable evaluation, access-log formatting and "
             "forwarded heads, measured with `bench/jmh/run` (JMH, `-prof gc`): see "
             "[hot-paths.md](hot-paths.md).")
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(w) + "\n")


if __name__ == "__main__":
    sys.exit(main())
