#!/usr/bin/env python3
"""Reads the per-part JSON files of scripts/bench.sh (DIR/diff.json, collect.json, watcher.json,
latency.json), prints one table (part, tool, figure, ratio, target, met?) and writes
DIR/bench.json with every part and the machine. Usage: bench_report.py DIR"""
import json
import os
import sys

HEADER = ("part", "tool", "figure", "ratio", "target", "met?")


def load(directory, name):
    path = os.path.join(directory, name + ".json")
    if not os.path.exists(path):
        return None
    try:
        with open(path) as handle:
            return json.load(handle)
    except json.JSONDecodeError as error:
        return {"error": f"{path}: {error}"}


def met(ok):
    return "yes" if ok else "NO"


def diff_rows(diff):
    rows = []
    for row in diff.get("inputs", []):
        dw = row.get("driftwatch", {})
        hier = row.get("hier_config_over_swift")
        gnu = row.get("swift_over_gnu_diff")
        name = f"{row.get('name')} ({row.get('lines', {}).get('running', '?')} lines)"
        rows.append(("diff", "driftwatch", f"{name}: {dw.get('mb_per_s', 0):.1f} MB/s", "", "", ""))
        if hier is not None:
            rows.append(("diff", "hier_config", name, f"DW {hier:.0f}x faster", ">=50x", met(hier >= 50)))
        if gnu is not None:
            rows.append(("diff", "GNU diff -u", name, f"DW takes {gnu:.2f}x", "<=2x", met(gnu <= 2)))
    return rows


def collect_rows(collect):
    rows = []
    ratios = collect.get("ratios", {})
    for tool, e in collect.get("tools", {}).items():
        if "devices_per_second" not in e:
            rows.append(("collect", tool, "crashed: " + str(e.get("error", ""))[:120].replace("\n", " "), "", "", ""))
            continue
        vs = ratios.get(f"{tool}/asyncssh")
        label = f"{tool} ({e.get('mode') or ''})" if tool.startswith("driftwatch") else f"{tool} {e.get('version') or ''}"
        rows.append(("collect", label, f"{e['devices_per_second']:.1f} dev/s",
                     f"{vs['devices_per_second']:.2f}x asyncssh" if vs else "", ">=1.5x" if vs else "",
                     met(vs["devices_per_second"] >= 1.5) if vs else ""))
        rows.append(("collect", "", f"{e['cpu_seconds_per_device'] * 1000:.1f} ms CPU/dev",
                     f"{vs['cpu_per_device']:.2f}x asyncssh" if vs else "", "<=0.25x" if vs else "",
                     met(vs["cpu_per_device"] <= 0.25) if vs else ""))
        rows.append(("collect", "", f"{e['max_rss_mb']:.0f} MB peak RSS, load {e.get('load_1m', 0):.1f}", "", "", ""))
    large = collect.get("large", {})
    entry = large.get("driftwatch", {})
    if "devices_per_second" in entry:
        rows.append(("collect", f"driftwatch x{large['devices']}",
                     f"{entry['devices_per_second']:.1f} dev/s, {entry['cpu_seconds_per_device'] * 1000:.1f} ms CPU/dev, "
                     f"{entry['max_rss_mb']:.0f} MB", "", "", ""))
    elif large:
        rows.append(("collect", f"driftwatch x{large.get('devices')}", "crashed", "", "", ""))
    return rows


def watcher_rows(w):
    if "peak_rss_mb" not in w:
        return [("watcher", "-", "no figures: " + str(w.get("reason") or w.get("error") or ""), "", "", "")]
    return [("watcher", f"watch, {w['devices']} devices, {w['minutes']:g} min",
             f"peak RSS {w['peak_rss_mb']:.0f} MB, CPU {w['cpu_seconds']:.0f} s ({w['cpu_percent_of_one_core']:.1f} % of a core)",
             "", "<=150 MB", met(w["peak_rss_mb"] <= 150))]


def latency_rows(l):
    rows = []
    for mode in ("poll", "syslog"):
        m = l.get(mode)
        if isinstance(m, dict) and "p50_s" in m:
            rows.append(("latency", mode, f"p50 {m['p50_s']:.1f} s, p95 {m['p95_s']:.1f} s (n={m.get('n')})",
                         f"interval {l.get('interval_s')} s" if mode == "poll" else "", "", ""))
    return rows or [("latency", "-", "no figures: " + str(l.get("reason") or l.get("error") or ""), "", "", "")]


def main(directory):
    parts = {name: load(directory, name) for name in ("diff", "collect", "watcher", "latency")}
    rows = []
    for name, builder in (("diff", diff_rows), ("collect", collect_rows), ("watcher", watcher_rows), ("latency", latency_rows)):
        part = parts[name]
        if part is None:
            continue
        if part.get("available") is False:
            rows.append((name, "-", "not available: " + part.get("reason", ""), "", "", ""))
        elif "error" in part and len(part) == 1:
            rows.append((name, "-", part["error"], "", "", ""))
        else:
            rows += builder(part)
    widths = [max(len(str(row[i])) for row in rows + [HEADER]) for i in range(len(HEADER))]
    for row in [HEADER] + rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
    machine = None
    if os.path.exists(os.path.join(directory, "machine.txt")):
        machine = open(os.path.join(directory, "machine.txt")).read().strip()
    with open(os.path.join(directory, "bench.json"), "w") as handle:
        json.dump({"machine": machine, "parts": parts}, handle, indent=2)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench-results")
