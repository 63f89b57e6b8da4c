"""DriftWatch MailLab: an aiosmtpd SMTP server on loopback for the tests and the demo.

Started by MailLab (Sources/DeviceLab/MailLab.swift) with the venv's python:

    smtp_lab.py serve --dir DIR --port PORT --mode plain|starttls|implicit
                      [--cert CERT --key KEY] [--user U --password-file F] [--exclude-auth PLAIN,LOGIN] [--size-limit N]
    smtp_lab.py parse FILE      # prints a delivered message as JSON, decoded by Python's email

`serve` writes every delivered message, byte for byte as received after DATA (dot-unstuffed),
into the Maildir DIR/maildir/new, prefixed with X-Peer, X-MailFrom and X-RcptTo headers. It prints
"READY <port>" on stdout once it listens, and exits on SIGTERM or SIGINT.

Failures on demand: DIR/failure holds lines `VERB CODE TEXT` (VERB: MAIL, RCPT, DATA) or
`RCPT:address CODE TEXT` (only that recipient). The file is read at every command, so a test
switches failures at run time; an empty or missing file means accept everything.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl
import sys
import time
import uuid

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def read_failures(directory):
    path = os.path.join(directory, "failure")
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        return []
    failures = []
    for line in lines:
        parts = line.strip().split(" ", 2)
        if len(parts) >= 2 and parts[1].isdigit():
            failures.append((parts[0], parts[1], parts[2] if len(parts) > 2 else "lab failure"))
    return failures


def failure_for(directory, verb, address=None):
    for key, code, text in read_failures(directory):
        if key.upper() == verb:
            return f"{code} {text}"
        if address is not None and key.upper() == f"{verb}:{address}".upper():
            return f"{code} {text}"
    return None


class LabHandler:
    """Accepts (or fails on demand) and writes raw messages into a Maildir."""

    def __init__(self, directory):
        self.directory = directory
        self.maildir = os.path.join(directory, "maildir")
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(self.maildir, sub), exist_ok=True)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        failure = failure_for(self.directory, "MAIL")
        if failure:
            return failure
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        failure = failure_for(self.directory, "RCPT", address)
        if failure:
            return failure
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        failure = failure_for(self.directory, "DATA")
        if failure:
            return failure
        peer = session.peer[0] if isinstance(session.peer, tuple) else str(session.peer)
        prefix = (
            f"X-Peer: {peer}\r\nX-MailFrom: {envelope.mail_from}\r\n"
            f"X-RcptTo: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode("utf-8")
        content = envelope.original_content or b""
        name = f"{time.time_ns()}.{uuid.uuid4().hex}.driftwatch-lab"
        temporary = os.path.join(self.maildir, "tmp", name)
        with open(temporary, "wb") as handle:
            handle.write(prefix + content)
        os.rename(temporary, os.path.join(self.maildir, "new", name))
        return "250 OK delivered"


def serve(args):
    handler = LabHandler(args.dir)
    context = None
    if args.mode in ("starttls", "implicit"):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    authenticator = None
    if args.user:
        with open(args.password_file, encoding="utf-8") as handle:
            password = handle.read().strip().encode("utf-8")
        user = args.user.encode("utf-8")

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (user, password)
            return AuthResult(success=True) if ok else AuthResult(success=False, handled=False)

    def factory():
        kwargs = dict(
            data_size_limit=args.size_limit,
            enable_SMTPUTF8=False,
            hostname="mail-lab.localhost",
            ident="DriftWatch MailLab",
        )
        if args.mode == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        if authenticator is not None:
            kwargs.update(
                authenticator=authenticator,
                auth_required=True,
                # Implicit TLS is TLS from the first byte, but aiosmtpd only counts STARTTLS.
                auth_require_tls=args.mode == "starttls",
            )
            if args.exclude_auth:
                kwargs.update(auth_exclude_mechanism=[m.upper() for m in args.exclude_auth.split(",") if m])
        return SMTP(handler, **kwargs)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(
            factory, host="127.0.0.1", port=args.port, ssl=context if args.mode == "implicit" else None,
            reuse_address=True,
        )
    )
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    port = server.sockets[0].getsockname()[1]
    print(f"READY {port}", flush=True)
    loop.run_until_complete(stop.wait())
    server.close()
    loop.run_until_complete(server.wait_closed())
    loop.close()


def parse(path):
    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    headers = [[name, str(value)] for name, value in message.items()]
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        parts.append({
            "contentType": part.get_content_type(),
            "charset": part.get_content_charset() or "",
            "transferEncoding": part.get("Content-Transfer-Encoding", ""),
            "content": part.get_content(),
        })
    json.dump({
        "headers": headers,
        "contentType": message.get_content_type(),
        "defects": [type(d).__name__ for d in message.defects],
        "parts": parts,
    }, sys.stdout)


def main():
    parser = argparse.ArgumentParser(description="DriftWatch MailLab SMTP server")
    commands = parser.add_subparsers(dest="command", required=True)
    serving = commands.add_parser("serve")
    serving.add_argument("--dir", required=True)
    serving.add_argument("--port", type=int, default=0)
    serving.add_argument("--mode", choices=["plain", "starttls", "implicit"], default="plain")
    serving.add_argument("--cert")
    serving.add_argument("--key")
    serving.add_argument("--user")
    serving.add_argument("--password-file")
    serving.add_argument("--exclude-auth", default="")
    serving.add_argument("--size-limit", type=int, default=33554432)
    parsing = commands.add_parser("parse")
    parsing.add_argument("file")
    args = parser.parse_args()
    if args.command == "serve":
        serve(args)
    else:
        parse(args.file)


if __name__ == "__main__":
    main()
