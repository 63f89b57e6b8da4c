#!/usr/bin/env python3
"""hier_config peer for `driftwatch-bench diff`: times what DriftWatch's pipeline does on a pair.

For each run: parse both files with hier_config (get_hconfig, which also applies the platform
driver's per-line normalisation) and compute the remediation (WorkflowRemediation, the lines that
take `running` to `intended`), materialising its text. Prints one JSON object on stdout:

    {"peer": "hier_config", "version": "3.7.1", "platform": "CISCO_IOS",
     "seconds": [..per run..], "median": s, "cpu_seconds": [..], "cpu_median": s,
     "remediation_lines": n}

Usage: hier_config_peer.py --platform cisco_ios --runs 3 RUNNING INTENDED
"""
import argparse
import json
import statistics
import sys
import time
from importlib.metadata import version

from hier_config import Platform, WorkflowRemediation, get_hconfig

PLATFORMS = {
    "cisco_ios": Platform.CISCO_IOS,
    "cisco_nxos": Platform.CISCO_NXOS,
    "cisco_iosxr": Platform.CISCO_XR,
    "arista_eos": Platform.ARISTA_EOS,
    "juniper_junos": Platform.JUNIPER_JUNOS,
    "generic": Platform.GENERIC,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", default="cisco_ios", choices=sorted(PLATFORMS))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("running")
    parser.add_argument("intended")
    args = parser.parse_args()
    platform = PLATFORMS[args.platform]
    with open(args.running, encoding="utf-8", errors="replace") as handle:
        running_text = handle.read()
    with open(args.intended, encoding="utf-8", errors="replace") as handle:
        intended_text = handle.read()
    seconds = []
    cpu_seconds = []
    lines = 0
    for _ in range(max(1, args.runs)):
        cpu_start = time.process_time()
        start = time.perf_counter()
        running = get_hconfig(platform, running_text)
        intended = get_hconfig(platform, intended_text)
        remediation = WorkflowRemediation(running, intended).remediation_config
        lines = len(list(remediation.all_children_sorted()))
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(time.process_time() - cpu_start)
    json.dump(
        {
            "peer": "hier_config",
            "version": version("hier-config"),
            "platform": platform.name,
            "seconds": seconds,
            "median": statistics.median(seconds),
            "cpu_seconds": cpu_seconds,
            "cpu_median": statistics.median(cpu_seconds),
            "remediation_lines": lines,
        },
        sys.stdout,
    )
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
