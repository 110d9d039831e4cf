# Fire COUNT simultaneous SMTP AUTH logins at a server and report how many succeed.
# Usage: SMTP_PASSWORD=<PASSWORD> python3 smtp-auth-burst.py --server <MAIL_HOST> --user <USER> --count 20
# Each session connects, says EHLO and STARTTLS first; a barrier then releases all
# AUTH commands at once, so only the authentication step runs in parallel.
import argparse
import os
import smtplib
import ssl
import sys
import threading
import time

ap = argparse.ArgumentParser()
ap.add_argument("--server", required=True)
ap.add_argument("--port", type=int, default=25)
ap.add_argument("--user", required=True)
ap.add_argument("--count", type=int, default=20)
ap.add_argument("--timeout", type=float, default=120, help="per-session socket timeout, seconds")
args = ap.parse_args()
password = os.environ["SMTP_PASSWORD"]

# Test tool: accept the server's certificate without verification (self-signed in most labs).
tls = ssl.create_default_context()
tls.check_hostname = False
tls.verify_mode = ssl.CERT_NONE

barrier = threading.Barrier(args.count)
results = [None] * args.count


def session(i):
    try:
        smtp = smtplib.SMTP(args.server, args.port, timeout=args.timeout)
        smtp.ehlo("burst.example.net")
        if smtp.has_extn("starttls"):
            smtp.starttls(context=tls)
            smtp.ehlo("burst.example.net")
    except Exception as exc:
        barrier.abort()
        results[i] = (False, None, f"setup: {exc}")
        return
    try:
        barrier.wait()
        start = time.monotonic()
        try:
            if not smtp.has_extn("auth"):
                raise smtplib.SMTPNotSupportedError("the server offers no AUTH (is TLS set up?)")
            smtp.user, smtp.password = args.user, password
            # PLAIN only, no fallback to LOGIN; smtplib also returns a 503 reply, which is not a login.
            code, reply = smtp.auth("PLAIN", smtp.auth_plain)
            if code != 235:
                raise smtplib.SMTPAuthenticationError(code, reply)
            results[i] = (True, time.monotonic() - start, "")
        except Exception as exc:
            results[i] = (False, time.monotonic() - start, str(exc))
    except threading.BrokenBarrierError:
        results[i] = (False, None, "aborted")
    finally:
        try:
            smtp.quit()
        except Exception:
            pass


threads = [threading.Thread(target=session, args=(i,)) for i in range(args.count)]
t0 = time.monotonic()
for t in threads:
    t.start()
for t in threads:
    t.join()
wall = time.monotonic() - t0

ok = [r for r in results if r and r[0]]
aborted = 0
for n, r in enumerate(results):
    if r and not r[0] and r[2] == "aborted":
        aborted += 1
    elif r and not r[0] and r[1] is None:
        print(f"session {n}: FAILED before AUTH: {r[2]}")
    elif r and not r[0]:
        print(f"session {n}: FAILED after {r[1]:.1f} s: {r[2]}")
if aborted:
    print(f"{aborted} sessions not started because another one failed during setup")
times = sorted(r[1] for r in results if r and r[1] is not None)
print(f"{len(ok)}/{args.count} logins succeeded")
if times:
    print(f"AUTH latency: fastest {times[0]:.1f} s, median {times[len(times) // 2]:.1f} s, slowest {times[-1]:.1f} s")
print(f"wall time {wall:.1f} s")
sys.exit(0 if len(ok) == args.count else 1)
