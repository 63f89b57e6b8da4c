#!/usr/bin/env python3
"""Part 2 of the benchmark suite: collection from one DeviceLab, DriftWatch beside asyncssh,
scrapli and netmiko, one client process after another, in the same run.

Starts `driftwatch-bench lab --devices N` (its own process: the lab is never in a measured client),
then for each client: one warm-up run (discarded) and RUNS measured runs. Each run is a separate
process; wall time, CPU (user+sys) and peak RSS come from os.wait4 (that child's rusage). devices/s
is the client's own collection phase (first connect to last result); CPU per device is the whole
process's CPU (imports and start-up included) over N. Medians over the runs.

Usage: collect_runner.py --bench BIN --python PY --devices N --runs R [--tools a,b] --out FILE
"""
import argparse, json, os, signal, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))

def run_once(argv):
    r, w = os.pipe()
    re, we = os.pipe()
    load_before = os.getloadavg()[0]
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.dup2(w, 1); os.dup2(we, 2)
        os.close(r); os.close(re)
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    os.close(w); os.close(we)
    import threading
    chunks = {"out": b"", "err": b""}
    def drain(fd, key):
        with os.fdopen(fd, "rb") as f:
            chunks[key] = f.read()
    t = threading.Thread(target=drain, args=(re, "err")); t.start()
    drain(r, "out"); t.join()
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    text = chunks["out"].decode(errors="replace").strip().splitlines()
    try:
        result = json.loads(text[-1]) if text else {}
    except json.JSONDecodeError:
        result = {}
    result.update({"exit": code, "process_seconds": wall, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                   "user_seconds": usage.ru_utime, "sys_seconds": usage.ru_stime, "max_rss_mb": usage.ru_maxrss / 1024.0,
                   "load_1m_before": load_before, "load_1m_after": os.getloadavg()[0]})
    if code != 0 or not result.get("devices"):
        result["stderr"] = chunks["err"].decode(errors="replace")[-2000:]
    return result

def start_lab(bench, devices, lab_json):
    log = open(lab_json + ".log", "w")
    proc = subprocess.Popen([bench, "lab", "--devices", str(devices), "--out", lab_json], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 600
    while not os.path.exists(lab_json):
        if proc.poll() is not None:
            raise SystemExit(f"the lab exited ({proc.returncode}): {open(lab_json + '.log').read()[-2000:]}")
        if time.monotonic() > deadline:
            proc.send_signal(signal.SIGTERM); raise SystemExit("the lab did not start within 600 s")
        time.sleep(0.2)
    return proc

def stop_lab(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--devices", type=int, default=200)
    ap.add_argument("--large", type=int, default=0, help="also DriftWatch alone on a lab of this many devices")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--tools", default="driftwatch,driftwatch-exec,asyncssh,scrapli,netmiko")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    tools = args.tools.split(",")
    commands = {
        "driftwatch": lambda lab: [args.bench, "collect", "--lab", lab, "--concurrency", str(args.concurrency)],
        # Like for like beside asyncssh: the same production path, but an exec channel (no PTY, no enable).
        "driftwatch-exec": lambda lab: [args.bench, "collect", "--lab", lab, "--concurrency", str(args.concurrency), "--mode", "exec"],
        "asyncssh": lambda lab: [args.python, os.path.join(HERE, "collect_asyncssh.py"), lab, str(args.concurrency)],
        "scrapli": lambda lab: [args.python, os.path.join(HERE, "collect_scrapli.py"), lab, str(args.concurrency)],
        "netmiko": lambda lab: [args.python, os.path.join(HERE, "collect_netmiko.py"), lab, str(args.concurrency)],
    }
    work = tempfile.mkdtemp(prefix="dw-bench-collect-")
    report = {"part": "collect", "devices": args.devices, "concurrency": args.concurrency, "runs": args.runs, "tools": {}, "crashed": []}

    def measure(lab_json, tool, n):
        print(f"collect: {tool} on {n} devices: warm-up + {args.runs} runs", file=sys.stderr, flush=True)
        warm = run_once(commands[tool](lab_json))
        runs = [run_once(commands[tool](lab_json)) for _ in range(args.runs)]
        complete = [r for r in runs if r.get("exit") == 0]
        entry = {"runs": runs, "warmup_exit": warm.get("exit"), "complete_runs": len(complete)}
        if complete:
            entry.update({
                "mode": complete[0].get("mode"), "version": complete[0].get("version"),
                "devices_per_second": statistics.median(r["devices_per_second"] for r in complete),
                "cpu_seconds_per_device": statistics.median(r["cpu_seconds"] / n for r in complete),
                "max_rss_mb": statistics.median(r["max_rss_mb"] for r in complete),
                "process_seconds": statistics.median(r["process_seconds"] for r in complete),
                "load_1m": statistics.median(r["load_1m_after"] for r in complete),
            })
        else:
            report["crashed"].append(tool)
            entry["error"] = (runs[-1].get("stderr") or str(runs[-1].get("failures")))[-1000:]
        return entry

    lab_json = os.path.join(work, "lab.json")
    lab = start_lab(args.bench, args.devices, lab_json)
    try:
        info = json.load(open(lab_json))
        report["config_file"], report["config_lines"], report["config_bytes"] = info["config_file"], info["config_lines"], info["config_bytes"]
        for tool in tools:
            report["tools"][tool] = measure(lab_json, tool, args.devices)
    finally:
        stop_lab(lab)
    if args.large:
        lab_json = os.path.join(work, "lab-large.json")
        lab = start_lab(args.bench, args.large, lab_json)
        try:
            report["large"] = {"devices": args.large, "driftwatch": measure(lab_json, "driftwatch", args.large)}
        finally:
            stop_lab(lab)

    # Ratios of each DriftWatch row against each peer: "driftwatch" is the production PTY shell
    # (enable, terminal length 0), "driftwatch-exec" the exec channel that asyncssh also uses.
    rows = {t: e for t, e in report["tools"].items() if "devices_per_second" in e}
    report["ratios"] = {}
    for dw_name in ("driftwatch", "driftwatch-exec"):
        dw = rows.get(dw_name)
        if not dw:
            continue
        for tool, entry in rows.items():
            if tool.startswith("driftwatch"):
                continue
            report["ratios"][f"{dw_name}/{tool}"] = {
                "devices_per_second": dw["devices_per_second"] / entry["devices_per_second"],
                "cpu_per_device": dw["cpu_seconds_per_device"] / entry["cpu_seconds_per_device"],
            }
    for tool, entry in rows.items():
        ratio = report["ratios"].get(f"driftwatch/{tool}")
        if ratio:
            entry["driftwatch_speedup"] = ratio["devices_per_second"]
            entry["driftwatch_cpu_fraction"] = ratio["cpu_per_device"]
    report["targets"] = {}
    for dw_name in ("driftwatch", "driftwatch-exec"):
        ratio = report["ratios"].get(f"{dw_name}/asyncssh")
        if ratio:
            report["targets"][f"{dw_name}: devices/s >= 1.5x asyncssh"] = {"value": ratio["devices_per_second"], "met": ratio["devices_per_second"] >= 1.5}
            report["targets"][f"{dw_name}: CPU per device <= 1/4 asyncssh"] = {"value": ratio["cpu_per_device"], "met": ratio["cpu_per_device"] <= 0.25}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    json.dump(report, open(args.out, "w"), indent=2)
    print(f"{'tool':<16}{'dev/s':>8}{'CPU s/dev':>11}{'RSS MB':>8}   vs asyncssh (dev/s, CPU)")
    for tool, e in report["tools"].items():
        if "devices_per_second" not in e:
            print(f"{tool:<16} failed: {e.get('error','')[:200]}"); continue
        ratio = report["ratios"].get(f"{tool}/asyncssh")
        vs = f"   {ratio['devices_per_second']:.2f}x, {ratio['cpu_per_device']:.2f}x" if ratio else ""
        print(f"{tool:<16}{e['devices_per_second']:>8.1f}{e['cpu_seconds_per_device']:>11.4f}{e['max_rss_mb']:>8.1f}{vs}")
    if "large" in report and "devices_per_second" in report["large"]["driftwatch"]:
        e = report["large"]["driftwatch"]
        print(f"driftwatch at {args.large} devices: {e['devices_per_second']:.1f} dev/s, {e['cpu_seconds_per_device']:.4f} CPU s/dev, {e['max_rss_mb']:.1f} MB")
    sys.exit(1 if report["crashed"] else 0)

if __name__ == "__main__":
    main()
