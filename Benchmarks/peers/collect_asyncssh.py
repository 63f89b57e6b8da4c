#!/usr/bin/env python3
"""asyncssh peer: `show running-config` over an exec channel on every lab device, asyncio with a
semaphore of 32, host keys checked against the lab's known_hosts. Prints one JSON object."""
import asyncio, json, sys, time
import asyncssh

async def main(lab, concurrency, limit):
    devices = lab["devices"][:limit] if limit else lab["devices"]
    sem = asyncio.Semaphore(concurrency)
    key = asyncssh.read_private_key(lab["key_file"])
    ok, failures = 0, []

    async def one(dev):
        nonlocal ok
        async with sem:
            try:
                async with asyncssh.connect(lab["host"], dev["port"], username=lab["username"], client_keys=[key],
                                            known_hosts=lab["known_hosts"], agent_path=None) as conn:
                    result = await conn.run("show running-config", check=True)
                    if result.stdout.rstrip().endswith("end"):
                        ok += 1
                    else:
                        failures.append(f"{dev['name']}: incomplete output")
            except Exception as error:  # a failed device is counted, never fatal
                failures.append(f"{dev['name']}: {error!r}")

    start = time.monotonic()
    await asyncio.gather(*(one(d) for d in devices))
    seconds = time.monotonic() - start
    return {"tool": "asyncssh", "version": asyncssh.__version__, "mode": "exec channel",
            "devices": len(devices), "ok": ok, "concurrency": concurrency, "collection_seconds": seconds,
            "devices_per_second": ok / seconds, "failures": failures[:3]}

if __name__ == "__main__":
    lab = json.load(open(sys.argv[1]))
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    result = asyncio.run(main(lab, int(sys.argv[2]), limit))
    print(json.dumps(result))
    sys.exit(0 if result["ok"] == result["devices"] else 1)
