"""A signed request as a reader sees it: the worked example (Markdown) and the commands that send it.

Every generated block carries `data-sigv4="<part>"`, so tests can read the values back from the built page.
"""

from __future__ import annotations

import shlex

from .declaration import Declaration
from .signing import Signed


def curl(signed: Signed) -> str:
    d = signed.declaration
    lines = [f"curl --silent --show-error --request {d.method} {shlex.quote(d.url)}"]
    lines += [f"  --header {shlex.quote(f'{name}: {value}')}" for name, value in signed.headers]
    if d.body:
        lines.append(f"  --data-binary {shlex.quote(d.body.decode())}")
    return " \\\n".join(lines) + "\n"


def python_requests(signed: Signed) -> str:
    d = signed.declaration
    body = f"    data={d.body.decode()!r}.encode(),\n" if d.body else ""
    return (
        "import requests\n\n"
        f"response = requests.request(\n    {d.method!r},\n    {d.url!r},\n"
        f"    headers={_literal(dict(signed.headers), 4)},\n{body}    timeout=30,\n)\n"
        "print(response.status_code)\nprint(response.text)\n"
    )


def botocore_script(d: Declaration) -> str:
    """Signs when it runs, with botocore's own clock: the one form a reader can send as it stands."""
    token = f", {d.session_token!r}" if d.session_token else ""
    body = f"    data={d.body.decode()!r}.encode(),\n" if d.body else ""
    return (
        "from botocore.auth import SigV4Auth\n"
        "from botocore.awsrequest import AWSRequest\n"
        "from botocore.credentials import Credentials\n"
        "from botocore.httpsession import URLLib3Session\n\n"
        f"request = AWSRequest(\n    method={d.method!r},\n    url={d.url!r},\n"
        f"    headers={_literal(dict(d.headers), 4)},\n{body})\n"
        f"credentials = Credentials({d.access_key!r}, {d.secret_key!r}{token})\n"
        f"SigV4Auth(credentials, {d.service!r}, {d.region!r}).add_auth(request)\n"
        "response = URLLib3Session().send(request.prepare())\n"
        "print(response.status_code)\nprint(response.text)\n"
    )


def _literal(value: dict, indent: int) -> str:
    """A dict literal, one item per line, closing brace at `indent`."""
    pad = " " * indent
    return "{\n" + "".join(f"{pad}    {k!r}: {v!r},\n" for k, v in value.items()) + pad + "}"


def _block(lang: str, part: str, title: str, text: str) -> str:
    return f'```{{ .{lang} data-sigv4="{part}" title="{title}" }}\n{text.rstrip(chr(10))}\n```\n'


def _indent(text: str) -> str:
    return "\n".join("    " + line if line else line for line in text.split("\n"))


def parts(signed: Signed) -> dict[str, str]:
    """What each generated block of the worked example holds, by its data-sigv4 name."""
    return {
        "canonical-request": signed.canonical_request,
        "canonical-request-sha256": signed.canonical_request_sha256,
        "string-to-sign": signed.string_to_sign,
        "signature": signed.signature,
        "authorization": f"Authorization: {signed.authorization}",
        "curl": curl(signed),
        "requests": python_requests(signed),
        "botocore": botocore_script(signed.declaration),
    }


def worked_example(signed: Signed) -> str:
    d = signed.declaration
    text = parts(signed)
    rows = "\n".join(
        f"| `{step.name}` | HMAC-SHA256({step.key}, `{step.data}`) | `{step.value.hex()}` |" for step in signed.chain
    )
    tabs = "\n".join(
        f'=== "{label}"\n\n{_indent(_block(lang, part, title, text))}'
        for label, lang, part, title, text in (
            ("curl", "bash", "curl", "Send it with curl", text["curl"]),
            ("Python requests", "python", "requests", "Send it with requests", text["requests"]),
            ("botocore", "python", "botocore", "Sign and send with botocore", text["botocore"]),
        )
    )
    return f"""
**1. Canonical request.** Method, path, canonical query string, the signed headers (lower case, sorted,
values trimmed), a blank line, the signed header names, the hex SHA-256 of the body:

{_block("text", "canonical-request", "Canonical request", text["canonical-request"])}
{_block("text", "canonical-request-sha256", "SHA-256 of the canonical request", text["canonical-request-sha256"])}
**2. String to sign.** Algorithm, request time, credential scope, the hash above:

{_block("text", "string-to-sign", "String to sign", text["string-to-sign"])}
**3. Signing key**, derived from the secret key `{d.secret_key}` and the scope `{signed.credential_scope}`:

| Key | Computed as | Value (hex) |
| --- | --- | --- |
{rows}

**4. Signature**: HMAC-SHA256(kSigning, string to sign), in hex:

{_block("text", "signature", "Signature", text["signature"])}
**5. The signed request.** `X-Amz-Date` and `Authorization` are added to the declared headers:

{_block("text", "authorization", "Authorization header", text["authorization"])}
{tabs}
"""
