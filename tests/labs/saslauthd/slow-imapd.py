#!/usr/bin/python3
"""Minimal, deliberately slow IMAP responder for the saslauthd lab.

Speaks just enough IMAP4rev1 for saslauthd's rimap mechanism (greeting,
CAPABILITY, LOGIN, LOGOUT, NOOP). Every LOGIN is answered only after
DELAY seconds, like an overloaded mail store. Accepts one fixed test
account; anything else gets "NO". With a cap set, a client address that
already holds that many connections is greeted with "* BYE" and
disconnected, as IMAP servers that limit connections per client do.

Settings come from the environment (see /etc/default/slow-imapd):
  IMAP_DELAY      seconds to wait before answering LOGIN (default 1)
  IMAP_USERS      space-separated user:password pairs (default alice:lab-secret)
  IMAP_PORT       TCP port (default 143)
  IMAP_MAX_PER_CLIENT  connections one client address may hold (default 0: no cap)
"""
import asyncio
import collections
import os
import sys
import time

DELAY = float(os.environ.get("IMAP_DELAY", "1"))
PORT = int(os.environ.get("IMAP_PORT", "143"))
USERS = dict(p.split(":", 1) for p in os.environ.get("IMAP_USERS", "alice:lab-secret").split())
MAX_PER_CLIENT = int(os.environ.get("IMAP_MAX_PER_CLIENT", "0"))

active = 0
per_client = collections.Counter()


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def unquote(tok):
    if len(tok) >= 2 and tok[0] == tok[-1] == '"':
        return tok[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return tok


def split_args(s):
    """Split 'a "b c" d' into tokens, honouring IMAP quoted strings."""
    out, cur, quoted, esc = [], "", False, False
    for ch in s:
        if esc:
            cur += ch
            esc = False
        elif ch == "\\" and quoted:
            cur += ch
            esc = True
        elif ch == '"':
            cur += ch
            quoted = not quoted
        elif ch == " " and not quoted:
            if cur:
                out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return [unquote(t) for t in out]


async def handle(reader, writer):
    global active
    peer = writer.get_extra_info("peername")
    if MAX_PER_CLIENT and per_client[peer[0]] >= MAX_PER_CLIENT:
        log(f"refused {peer[0]}: {per_client[peer[0]]} connections already")
        writer.write(b"* BYE Too many connections from your address\r\n")
        await writer.drain()
        writer.close()
        return
    active += 1
    per_client[peer[0]] += 1
    try:
        writer.write(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] slow-imapd ready\r\n")
        await writer.drain()
        while (raw := await reader.readline()) and await answer(raw, writer, peer):
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        active -= 1
        per_client[peer[0]] -= 1
        writer.close()


async def answer(raw, writer, peer) -> bool:
    """Answers one command line; False once the client has logged out."""
    parts = raw.decode("utf-8", "replace").rstrip("\r\n").split(" ", 2)
    if len(parts) < 2:
        writer.write(b"* BAD missing command\r\n")
        return True
    tag, cmd = parts[0], parts[1].upper()
    args = parts[2] if len(parts) > 2 else ""
    if cmd == "CAPABILITY":
        writer.write(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag.encode() + b" OK CAPABILITY completed\r\n")
    elif cmd == "NOOP":
        writer.write(tag.encode() + b" OK NOOP completed\r\n")
    elif cmd == "LOGIN":
        toks = split_args(args)
        user = toks[0] if toks else ""
        started = time.monotonic()
        log(f"LOGIN {user!r} from {peer[0]} (concurrent: {active})")
        await asyncio.sleep(DELAY)
        ok = len(toks) == 2 and USERS.get(user) == toks[1]
        log(f"LOGIN {user!r} {'OK' if ok else 'NO'} after {time.monotonic() - started:.2f}s")
        writer.write(tag.encode() + (b" OK LOGIN completed\r\n" if ok
                                     else b" NO [AUTHENTICATIONFAILED] Invalid credentials\r\n"))
    elif cmd == "LOGOUT":
        writer.write(b"* BYE logging out\r\n" + tag.encode() + b" OK LOGOUT completed\r\n")
        await writer.drain()
        return False
    else:
        writer.write(tag.encode() + b" BAD command not supported here\r\n")
    return True


async def main():
    server = await asyncio.start_server(handle, host=None, port=PORT, backlog=128)
    log(f"listening on port {PORT}, LOGIN delay {DELAY}s, users: {', '.join(USERS)}")
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
