"""Example credentials only: what a page may sign with, and what must never appear on the site.

AWS access key ids are 20 upper-case characters whose first four name the kind (AKIA long-term, ASIA
temporary, AROA role, …); secret keys are 40 characters of base64. Published examples carry the word EXAMPLE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AWS_EXAMPLE_ACCESS_KEY = "AKIDEXAMPLE"
AWS_EXAMPLE_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

_KEY_PREFIXES = "AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA|A3T[A-Z0-9]"
_ACCESS_KEY = re.compile(rf"(?<![A-Z0-9])(?:{_KEY_PREFIXES})[A-Z0-9]{{16}}(?![A-Z0-9])")
_KEY_PREFIX = re.compile(rf"^(?:{_KEY_PREFIXES})")
_BASE64_40 = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_HEX = re.compile(r"[0-9a-fA-F]+")


class CredentialError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def check_example(access_key: str, secret_key: str, session_token: str | None) -> None:
    """Refuses anything that could be a real credential: an example is marked as one, and never key-shaped."""
    if _KEY_PREFIX.match(access_key):
        raise CredentialError("access_key", f"access key {access_key[:4]}… has the shape of a real AWS access key id; "
                              f"use AWS's example {AWS_EXAMPLE_ACCESS_KEY}")
    for field, value in (("access_key", access_key), ("secret_key", secret_key), ("session_token", session_token)):
        if value is not None and "EXAMPLE" not in value:
            raise CredentialError(field, f"{field} is not marked as an example (no EXAMPLE in it); only example "
                                  f"credentials such as {AWS_EXAMPLE_ACCESS_KEY} / {AWS_EXAMPLE_SECRET_KEY} "
                                  "may be signed with at build time")


@dataclass(frozen=True)
class Finding:
    kind: str
    offset: int
    text: str


def _secret_like(token: str) -> bool:
    """40 base64 characters of mixed case and digits that are no hex digest (a SHA-1 is 40 hex too)."""
    return (not _HEX.fullmatch(token) and "EXAMPLE" not in token
            and any(c.isupper() for c in token) and any(c.islower() for c in token)
            and any(c.isdigit() for c in token))


def find_credentials(text: str) -> list[Finding]:
    """Strings in `text` that look like a real AWS access key id or secret access key."""
    found = [Finding("access key id", m.start(), m.group()) for m in _ACCESS_KEY.finditer(text)]
    found += [Finding("secret access key", m.start(), m.group()) for m in _BASE64_40.finditer(text)
              if _secret_like(m.group())]
    return sorted(found, key=lambda f: f.offset)
