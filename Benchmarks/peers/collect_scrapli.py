#!/usr/bin/env python3
"""scrapli peer: AsyncIOSXEDriver over scrapli's asyncssh transport (what a user writing async code
picks), asyncio with a semaphore of 32. Interactive shell: on open it acquires privilege exec
(`enable` + secret) and sends `terminal length 0` / `terminal width 512`, then `show
running-config`. auth_strict_key=False, as scrapli's examples do. Prints one JSON object.

on_open first waits for the device's first prompt, then runs scrapli's own IOS-XE on_open. The wait
was needed while the lab's PTY echoed typed-ahead input before the prompt it answered (`r1>r1>` on
one line, which scrapli's prompt pattern never matches); the lab now echoes as a device's CLI does,
when it reads the input, and the wait is kept as what DriftWatch and netmiko also do."""
import asyncio, json, re, sys, time
from importlib.metadata import version
from scrapli.driver.core import AsyncIOSXEDriver
from scrapli.driver.core.cisco_iosxe.async_driver import iosxe_on_open

FIRST_PROMPT = re.compile(rb"[\w.\-@/:]{1,63}[>#]\s?$")

async def on_open(conn):
    async def first_prompt():
        seen = b""
        while not FIRST_PROMPT.search(seen):
            seen += await conn.channel.read()
    await asyncio.wait_for(first_prompt(), 60)
    await iosxe_on_open(conn)

async def main(lab, concurrency, limit):
    devices = lab["devices"][:limit] if limit else lab["devices"]
    sem = asyncio.Semaphore(concurrency)
    ok, failures = 0, []

    async def one(dev):
        nonlocal ok
        async with sem:
            try:
                async with AsyncIOSXEDriver(host=lab["host"], port=dev["port"], auth_username=lab["username"],
                                            auth_private_key=lab["key_file"], auth_secondary=lab["enable_secret"],
                                            auth_strict_key=False, transport="asyncssh", on_open=on_open,
                                            timeout_ops=60, timeout_socket=60, timeout_transport=60) as conn:
                    response = await conn.send_command("show running-config")
                    if response.result.rstrip().endswith("end"):
                        ok += 1
                    else:
                        failures.append(f"{dev['name']}: incomplete output")
            except Exception as error:
                failures.append(f"{dev['name']}: {error!r}")

    start = time.monotonic()
    await asyncio.gather(*(one(d) for d in devices))
    seconds = time.monotonic() - start
    return {"tool": "scrapli", "version": version("scrapli"), "mode": "shell (asyncssh transport, enable, terminal length 0)",
            "devices": len(devices), "ok": ok, "concurrency": concurrency, "collection_seconds": seconds,
            "devices_per_second": ok / seconds, "failures": failures[:3]}

if __name__ == "__main__":
    lab = json.load(open(sys.argv[1]))
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    result = asyncio.run(main(lab, int(sys.argv[2]), limit))
    print(json.dumps(result))
    sys.exit(0 if result["ok"] == result["devices"] else 1)
