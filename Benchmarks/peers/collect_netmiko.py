#!/usr/bin/env python3
"""netmiko peer: ConnectHandler(device_type="cisco_ios") over paramiko in a 32-thread pool.
Interactive shell: session preparation sends `terminal length 0` / `terminal width 511`, then
enable() with the secret and send_command("show running-config"). Host keys not checked
(netmiko's default). Prints one JSON object."""
import json, sys, time
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from netmiko import ConnectHandler

def one(lab, dev):
    try:
        conn = ConnectHandler(device_type="cisco_ios", host=lab["host"], port=dev["port"], username=lab["username"],
                              use_keys=True, key_file=lab["key_file"], allow_agent=False, secret=lab["enable_secret"],
                              conn_timeout=60, auth_timeout=60, banner_timeout=60)
        try:
            conn.enable()
            output = conn.send_command("show running-config", read_timeout=120)
        finally:
            conn.disconnect()
        return None if output.rstrip().endswith("end") else f"{dev['name']}: incomplete output"
    except Exception as error:
        return f"{dev['name']}: {error!r}"

if __name__ == "__main__":
    lab = json.load(open(sys.argv[1]))
    concurrency = int(sys.argv[2])
    devices = lab["devices"][: int(sys.argv[3])] if len(sys.argv) > 3 else lab["devices"]
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda d: one(lab, d), devices))
    seconds = time.monotonic() - start
    failures = [r for r in results if r]
    ok = len(devices) - len(failures)
    print(json.dumps({"tool": "netmiko", "version": version("netmiko"), "mode": "shell (paramiko, terminal length 0, enable)",
                      "devices": len(devices), "ok": ok, "concurrency": concurrency, "collection_seconds": seconds,
                      "devices_per_second": ok / seconds, "failures": failures[:3]}))
    sys.exit(0 if ok == len(devices) else 1)
