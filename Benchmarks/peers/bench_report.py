#!/usr/bin/env python3
"""Reads the per-part JSON files of scripts/bench.sh (DIR/diff.json, collect.json, watcher.json,
latency.json), prints one table (part, tool, figure, ratio vs DriftWatch, target, met?) and writes
DIR/bench.json with every part. Usage: bench_report.py DIR"""
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


def met(value, ok):
    return "" if value is None else ("yes" if ok else "no")


def collect_rows(collect):
    rows = []
    for tool, e in collect.get("tools", {}).items():
        if "devices_per_second" not in e:
            rows.append(("collect", tool, "crashed", "", "", ""))
            continue
        speed, frac = e.get("driftwatch_speedup"), e.get("driftwatch_cpu_fraction")
        is_target = tool == "asyncssh"
        rows.append(("collect", tool, f"{e['devices_per_second']:.1f} dev/s", f"DW {speed:.2f}x" if speed else "",
                     ">=1.5x" if is_target else "", met(speed, speed is not None and speed >= 1.5) if is_target else ""))
        rows.append(("collect", tool, f"{e['cpu_seconds_per_device'] * 1000:.1f} ms CPU/dev",
                     f"DW {frac:.2f}" if frac else "", "<=0.25" if is_target else "",
                     met(frac, frac is not None and frac <= 0.25) if is_target else ""))
        rows.append(("collect", tool, f"{e['max_rss_mb']:.0f} MB peak RSS", "", "", ""))
    large = collect.get("large", {})
    entry = large.get("driftwatch", {})
    if "devices_per_second" in entry:
        rows.append(("collect", f"driftwatch x{large['devices']}",
                     f"{entry['devices_per_second']:.1f} dev/s, {entry['cpu_seconds_per_device'] * 1000:.1f} ms CPU/dev, "
                     f"{entry['max_rss_mb']:.0f} MB", "", "", ""))
    elif large:
        rows.append(("collect", f"driftwatch x{large.get('devices')}", "crashed", "", "", ""))
    return rows


def main(directory):
    parts = {name: load(directory, name) for name in ("diff", "collect", "watcher", "latency")}
    rows = []
    if parts["diff"]:
        rows.append(("diff", "-", "see diff.json (table printed by bench-diff.sh)", "", ">=50x hier_config, <=2x GNU diff", ""))
    if parts["collect"]:
        rows += collect_rows(parts["collect"])
    for name in ("watcher", "latency"):
        part = parts[name]
        if part is not None and part.get("available") is False:
            rows.append((name, "-", "not available yet: " + part.get("reason", ""), "", "", ""))
    widths = [max(len(str(row[i])) for row in rows + [HEADER]) for i in range(len(HEADER))]
    for row in [HEADER] + rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
    with open(os.path.join(directory, "bench.json"), "w") as handle:
        json.dump({"parts": parts}, handle, indent=2)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench-results")
