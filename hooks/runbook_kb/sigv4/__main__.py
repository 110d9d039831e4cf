"""`python3 -m sigv4 curl|requests|botocore|explain [--now] FILE`: a declared request, rendered as the page
renders it. `--now` signs at the current time instead of the declared one: the lab sends the page's request
that way, since a signature from the page's fixed moment has long expired."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from runbook_kb.errors import SpecError

from .declaration import parse
from .render import botocore_script, curl, python_requests
from .signing import sign


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m sigv4", description=__doc__)
    parser.add_argument("form", choices=["curl", "requests", "botocore", "explain"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--now", action="store_true", help="sign at the current time")
    args = parser.parse_args(argv)
    try:
        declaration = parse(args.file.read_text(encoding="utf-8"), args.file)
    except SpecError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.now:
        declaration = declaration.at(dt.datetime.now(dt.timezone.utc))
    if args.form == "botocore":
        sys.stdout.write(botocore_script(declaration))
        return 0
    signed = sign(declaration)
    if args.form == "explain":
        sys.stdout.write(f"{signed.canonical_request}\n\n{signed.string_to_sign}\n\n{signed.authorization}\n")
    else:
        sys.stdout.write(curl(signed) if args.form == "curl" else python_requests(signed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
