"""Who vouches for a lab result: an Ed25519 signature by the run that made it.

CI holds the private half of the key in `tests/labs/signers/ci.pub` and hands it to the run in the environment
variable RUNBOOK_CI_SIGNING_KEY (the key's 32 bytes, base64). Any other run signs with this machine's own
key, made on first use under $XDG_CONFIG_HOME/runbook-kb/; its results count as verified locally, and only
on this machine, the one that holds the key. A result signed by neither counts for nothing.

What is signed is the lab's entry in the results file as canonical JSON (sorted keys, no spaces, UTF-8),
after a line naming the format, so a signature cannot be replayed as one over something else.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..errors import SpecError
from ..layout import Layout

CI_KEY_VARIABLE = "RUNBOOK_CI_SIGNING_KEY"
CI, LOCAL = "ci", "local"
CONTEXT = b"runbook-kb lab result v1\n"
# What else the keys sign, each under its own context, so that no signed entry can pass for another kind.
MUTATION_CONTEXT = b"runbook-kb mutation run v1\n"


def signed_bytes(entry: dict, context: bytes = CONTEXT) -> bytes:
    """The bytes a signature covers: the entry without its signature, canonical."""
    unsigned = {key: value for key, value in entry.items() if key != "signature"}
    return context + json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class Signer:
    who: str  # CI or LOCAL
    key: Ed25519PrivateKey

    def sign(self, entry: dict, context: bytes = CONTEXT) -> dict:
        return {"key": key_id(self.key.public_key()),
                "value": base64.b64encode(self.key.sign(signed_bytes(entry, context))).decode()}


def local_key_path() -> Path:
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "runbook-kb" / "lab-results.ed25519"


def _local_key(create: bool) -> Ed25519PrivateKey | None:
    path = local_key_path()
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        # Readable by its owner only, and whole or not at all; linked, not renamed, into place, so that of two
        # runs making one at once (parallel workers) both end up signing with the one that got there first.
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except ValueError as exc:
        raise SpecError(path, None, f"not an Ed25519 private key in PEM: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SpecError(path, None, "not an Ed25519 private key")
    return key


def _ci_public(layout: Layout) -> Ed25519PublicKey:
    path = layout.ci_public_key
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise SpecError(path, None, f"the CI signing key's public half cannot be read: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SpecError(path, None, "not an Ed25519 public key")
    return key


def signer(layout: Layout) -> Signer:
    """CI's key when the environment hands it over (it must be the one the repository trusts), else this
    machine's, made on first use."""
    given = os.environ.get(CI_KEY_VARIABLE)
    if not given:
        return Signer(LOCAL, _local_key(create=True))
    try:
        key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(given, validate=True))
    except ValueError:
        raise SpecError(CI_KEY_VARIABLE, None, "not the base64 of a 32-byte Ed25519 private key") from None
    if key_id(key.public_key()) != key_id(_ci_public(layout)):
        raise SpecError(CI_KEY_VARIABLE, None, f"this key's public half is not {layout.ci_public_key}")
    return Signer(CI, key)


def trusted_keys(layout: Layout) -> dict[str, tuple[str, Ed25519PublicKey]]:
    """Key id → (who, public key): the repository's CI key and, where this machine has one, its own."""
    keys = {}
    ci = _ci_public(layout)
    keys[key_id(ci)] = (CI, ci)
    if local := _local_key(create=False):
        keys[key_id(local.public_key())] = (LOCAL, local.public_key())
    return keys


def check(entry: dict, keys: dict[str, tuple[str, Ed25519PublicKey]], context: bytes = CONTEXT) -> tuple[str | None, str]:
    """(who signed it, "") when a trusted key's signature verifies; (None, why not) otherwise."""
    signature = entry.get("signature")
    if not signature:
        return None, "Its lab's result is not signed."
    trusted = keys.get(signature["key"])
    if trusted is None:
        return None, f"Its lab's result is signed by key {signature['key']}, neither CI's nor this machine's."
    who, public = trusted
    try:
        public.verify(base64.b64decode(signature["value"]), signed_bytes(entry, context))
    except (InvalidSignature, ValueError):
        return None, f"Its lab's result does not match its signature by the {'CI' if who == CI else 'local'} key."
    return who, ""
