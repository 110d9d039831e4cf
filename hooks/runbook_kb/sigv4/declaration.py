"""A request a page declares for signing, checked before anything is signed.

```sigv4
--8<-- "ses-signing/send-email.sigv4.yml"
```

The file (or the fence itself) is YAML:

    service: ses                      # the signing name, not the host's first label
    region: us-east-1
    method: POST
    endpoint: https://email.us-east-1.amazonaws.com
    path: /                           # default /
    query: {Action: ListIdentities}   # optional, kept in the given order in the URL
    headers: {Content-Type: application/x-www-form-urlencoded; charset=utf-8}
    form: {Action: SendEmail, ...}    # or json: {...} or body: "..."; one of them for POST, PUT and PATCH
    access_key: AKIDEXAMPLE           # example credentials only
    secret_key: wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
    time: 2026-11-12T09:00:00Z        # UTC; the moment the example is signed at
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from functools import cache
from urllib.parse import quote, urlencode, urlsplit

import botocore.loaders

from runbook_kb.errors import SpecError
from runbook_kb.yamlfile import Located, load_yaml_text

from .credentials import CredentialError, check_example

KEYS = {"service", "region", "method", "endpoint", "path", "query", "headers", "form", "json", "body",
        "access_key", "secret_key", "session_token", "time"}
REQUIRED = ("service", "region", "method", "endpoint", "access_key", "secret_key", "time")
METHODS = {"GET", "HEAD", "DELETE", "POST", "PUT", "PATCH"}
_BODY_KEYS = ("form", "json", "body")
_SERVICE = re.compile(r"[a-z0-9][a-z0-9-]*")
# Partition prefix, optional qualifiers, direction or place, number: us-east-1, us-gov-west-1, cn-north-1.
@cache
def known_regions() -> frozenset[str]:
    """Every region of every partition (aws, aws-cn, aws-us-gov, …) in the endpoint data botocore ships."""
    partitions = botocore.loaders.create_loader().load_data("endpoints")["partitions"]
    return frozenset(region for partition in partitions for region in partition["regions"])


_REGION = re.compile(r"(?:[a-z]{2})(?:-(?:gov|iso|isob|isoe|isof))?-[a-z]+-\d{1,2}")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 header field name
_SET_BY_SIGNER = {"authorization", "x-amz-date", "host", "x-amz-security-token", "date"}
_TIME = "%Y%m%dT%H%M%SZ"


class DeclarationError(SpecError):
    pass


@dataclass(frozen=True)
class Declaration:
    service: str
    region: str
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    access_key: str
    secret_key: str
    session_token: str | None
    time: dt.datetime

    @property
    def amz_date(self) -> str:
        return self.time.strftime(_TIME)

    def at(self, moment: dt.datetime) -> Declaration:
        """The same request at another moment (the lab sends it with the time it runs at)."""
        return dataclasses.replace(self, time=_utc_seconds(moment))


def parse(text: str, source: Path | str, first_line: int = 1) -> Declaration:
    """`source` and `first_line` say where the text sits, for errors: a snippet file, or a page's fence."""
    try:
        raw = load_yaml_text(text, source, first_line)
    except SpecError as exc:
        raise DeclarationError(exc.path, exc.line, exc.message) from None

    def fail(key: str | None, message: str):
        raise DeclarationError(source, raw.line_of(key) if key else raw.line, message)

    _check_keys(raw, fail)
    method = raw["method"].upper()
    if method not in METHODS:
        fail("method", f"method {raw['method']!r}; one of {', '.join(sorted(METHODS))}")
    url = _url(raw, source, fail)
    headers = _headers(raw, source)
    body = _payload(raw, method, source, fail)
    try:
        check_example(raw["access_key"], raw["secret_key"], raw.get("session_token"))
    except CredentialError as exc:
        fail(exc.field, str(exc))
    return Declaration(raw["service"], raw["region"], method, url, tuple(headers.items()), body,
                       raw["access_key"], raw["secret_key"], raw.get("session_token"), _time(raw, fail))


def _check_keys(raw: Located, fail) -> None:
    """Known keys, the required ones, text where text is due; a signing name and a region AWS has."""
    unknown = sorted(set(map(str, raw)) - KEYS)
    if unknown:
        fail(unknown[0], f"unknown key {unknown[0]!r}; known: {', '.join(sorted(KEYS))}")
    for key in REQUIRED:
        if key not in raw:
            fail(None, f"missing {key!r}")
    strings = {key: raw[key] for key in raw if key not in ("query", "headers", "form", "json", "time")}
    for key, value in strings.items():
        if not isinstance(value, str) or not value:
            fail(key, f"{key} must be a non-empty string")
    if not _SERVICE.fullmatch(raw["service"]):
        fail("service", f"service {raw['service']!r} is not a signing name (lower case, e.g. ses)")
    if not _REGION.fullmatch(raw["region"]):
        fail("region", f"region {raw['region']!r} is not an AWS region name such as us-east-1")
    if raw["region"] not in known_regions():
        fail("region", f"region {raw['region']} is not one AWS has, as far as botocore "
                       f"{botocore.__version__} knows (its endpoint data lists every partition's regions)")


def _url(raw: Located, source: Path | str, fail) -> str:
    """The request's URL: endpoint (scheme and host, in the declared region), path and query."""
    endpoint = urlsplit(raw["endpoint"])
    if endpoint.scheme not in ("https", "http") or not endpoint.hostname or endpoint.path not in ("", "/") \
            or endpoint.query or endpoint.fragment:
        fail("endpoint", f"endpoint {raw['endpoint']!r} must be scheme and host only, e.g. https://host")
    regions_in_host = set(re.findall(r"(?<![a-z])[a-z]{2}(?:-[a-z]+)+-\d{1,2}(?![0-9])", endpoint.hostname))
    if regions_in_host and raw["region"] not in regions_in_host:
        fail("region", f"region {raw['region']} does not match the endpoint's {', '.join(sorted(regions_in_host))}: "
                       "SigV4 would reject it with a wrong credential scope")
    path = raw.get("path", "/")
    if not path.startswith("/") or any(c in path for c in "?# \t\r\n"):
        fail("path", f"path {path!r} must start with / and hold no query, fragment or whitespace")
    query = _mapping(raw, "query", source)
    url = f"{endpoint.scheme}://{endpoint.netloc}{quote(path, safe='/~')}"
    return url + "?" + urlencode(query, quote_via=quote, safe="-_.~") if query else url


def _headers(raw: Located, source: Path | str) -> dict[str, str]:
    headers = _mapping(raw, "headers", source)
    for name, value in headers.items():
        problem = None
        if not _TOKEN.fullmatch(name):
            problem = f"header name {name!r} is not a valid HTTP field name"
        elif any((ord(c) < 32 and c != "\t") or ord(c) == 127 for c in value):
            problem = f"header {name} has a control character (line break?) in its value"
        elif name.lower() in _SET_BY_SIGNER:
            problem = f"header {name} is set by the signer, not declared"
        if problem:
            raise DeclarationError(source, _line_in(raw, "headers", name), problem)
    return headers


def _payload(raw: Located, method: str, source: Path | str, fail) -> bytes:
    bodies = [key for key in _BODY_KEYS if key in raw]
    if len(bodies) > 1:
        fail(bodies[1], f"declare one body: {' or '.join(bodies)}")
    if method in ("POST", "PUT", "PATCH") and not bodies:
        fail(None, f"{method} needs a body: form, json or body")
    if method in ("GET", "HEAD") and bodies:
        fail(bodies[0], f"{method} carries no body; put parameters in query")
    return _body(raw, bodies[0], source, fail) if bodies else b""


def _mapping(raw: Located, key: str, source: Path | str) -> dict[str, str]:
    value = raw.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise DeclarationError(source, raw.line_of(key), f"{key} must be a mapping of names to values")
    for name, item in value.items():
        if isinstance(item, bool | dt.date) or not isinstance(item, str | int | float):
            # YAML reads 2010-12-01 as a date and yes as true; what is sent must be the text as written.
            raise DeclarationError(source, _line_in(raw, key, name),
                                   f"{key}: {name} must be a string or number (quote it: \"...\")")
    return {name: str(item) for name, item in value.items()}


def _line_in(raw: Located, key: str, name: str) -> int:
    inner = raw.get(key)
    return inner.line_of(name) if isinstance(inner, Located) else raw.line_of(key)


def _body(raw: Located, key: str, source: Path | str, fail) -> bytes:
    if key == "form":
        # Encoded as botocore's query serializer encodes (a space is +): what AWS SDKs send.
        return urlencode(_mapping(raw, "form", source)).encode()
    if key == "json":
        if not isinstance(raw["json"], dict | list):
            fail("json", "json must be an object or an array")
        return json.dumps(raw["json"], separators=(",", ":"), ensure_ascii=False, default=str).encode()
    return raw["body"].encode()


def _time(raw: Located, fail) -> dt.datetime:
    value = raw["time"]
    if isinstance(value, str):
        try:
            value = dt.datetime.strptime(value, _TIME).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            fail("time", f"time {value!r}: give 2026-11-12T09:00:00Z or 20261112T090000Z")
    if not isinstance(value, dt.datetime):
        fail("time", "time must be a date and time, e.g. 2026-11-12T09:00:00Z")
    if value.tzinfo is None or value.utcoffset() != dt.timedelta(0):
        fail("time", "time must be in UTC, written with a Z")
    return _utc_seconds(value)


def _utc_seconds(moment: dt.datetime) -> dt.datetime:
    """SigV4 timestamps are whole seconds in UTC."""
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0)
