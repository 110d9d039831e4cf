"""Signing a declared request with botocore's SigV4Auth, and checking botocore against our own HMAC chain.

botocore builds the canonical request and the string to sign (the parts where implementations differ). The
key derivation and the signature are computed a second time here with hmac/hashlib alone; a page shows a
signature only when both agree.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from .declaration import Declaration


class SigningMismatch(RuntimeError):
    pass


@dataclass(frozen=True)
class KeyStep:
    name: str  # kDate …
    key: str  # what the HMAC is keyed with, for display
    data: str
    value: bytes


@dataclass(frozen=True)
class Signed:
    declaration: Declaration
    canonical_request: str
    string_to_sign: str
    chain: tuple[KeyStep, ...]
    signature: str
    authorization: str
    headers: tuple[tuple[str, str], ...]  # as sent: declared ones, then X-Amz-Date (and token), Authorization

    @property
    def canonical_request_sha256(self) -> str:
        return hashlib.sha256(self.canonical_request.encode()).hexdigest()

    @property
    def credential_scope(self) -> str:
        return self.string_to_sign.split("\n")[2]


def _hmac(key: bytes, data: str) -> bytes:
    return hmac.new(key, data.encode(), hashlib.sha256).digest()


def key_chain(secret_key: str, date: str, region: str, service: str) -> tuple[KeyStep, ...]:
    k_date = _hmac(f"AWS4{secret_key}".encode(), date)
    k_region = _hmac(k_date, region)
    k_service = _hmac(k_region, service)
    k_signing = _hmac(k_service, "aws4_request")
    return (KeyStep("kDate", '"AWS4" + secret key', date, k_date),
            KeyStep("kRegion", "kDate", region, k_region),
            KeyStep("kService", "kRegion", service, k_service),
            KeyStep("kSigning", "kService", "aws4_request", k_signing))


def signature(signing_key: bytes, string_to_sign: str) -> str:
    return hmac.new(signing_key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def sign(declaration: Declaration) -> Signed:
    """Signs at the declaration's own time; `declaration.at(now)` for a request to send now."""
    request = AWSRequest(method=declaration.method, url=declaration.url, data=declaration.body)
    for name, value in declaration.headers:  # one by one: a repeated header stays repeated
        request.headers[name] = value
    credentials = Credentials(declaration.access_key, declaration.secret_key, declaration.session_token)
    auth = SigV4Auth(credentials, declaration.service, declaration.region)
    # add_auth() reads the clock; these are its steps with the declared moment instead.
    request.context["timestamp"] = declaration.amz_date
    auth._modify_request_before_signing(request)
    canonical_request = auth.canonical_request(request)
    string_to_sign = auth.string_to_sign(request, canonical_request)
    botocore_signature = auth.signature(string_to_sign, request)
    auth._inject_signature_to_request(request, botocore_signature)

    chain = key_chain(declaration.secret_key, declaration.amz_date[:8], declaration.region, declaration.service)
    ours = signature(chain[-1].value, string_to_sign)
    if ours != botocore_signature or not request.headers["Authorization"].endswith(f"Signature={ours}"):
        raise SigningMismatch(f"botocore signed {botocore_signature}, the HMAC chain gives {ours}")
    declared = {name.lower() for name, _ in declaration.headers}
    added = [(name, value) for name, value in request.headers.items() if name.lower() not in declared]
    return Signed(declaration, canonical_request, string_to_sign, chain, ours,
                  request.headers["Authorization"], (*declaration.headers, *added))
