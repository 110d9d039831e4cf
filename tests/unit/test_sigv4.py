"""The SigV4 core: AWS's published test-suite vectors, botocore on random requests, refused declarations."""

import datetime as dt
import hashlib
import hmac
import random
import shlex
import string
from pathlib import Path
from unittest import mock
from urllib.parse import quote, unquote

import botocore.auth
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from runbook_kb.sigv4.credentials import AWS_EXAMPLE_ACCESS_KEY, AWS_EXAMPLE_SECRET_KEY, find_credentials
from runbook_kb.sigv4.declaration import Declaration, DeclarationError, parse
from runbook_kb.sigv4.render import curl
from runbook_kb.sigv4.signing import key_chain, sign

VECTORS = Path(__file__).parent / "sigv4_vectors"
SUITE_TIME = dt.datetime(2015, 8, 30, 12, 36, tzinfo=dt.timezone.utc)

SEND_EMAIL = """\
service: ses
region: us-east-1
method: POST
endpoint: https://email.us-east-1.amazonaws.com
headers:
  Content-Type: application/x-www-form-urlencoded; charset=utf-8
form:
  Action: SendEmail
  Source: sender@example.com
access_key: AKIDEXAMPLE
secret_key: wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
time: 2026-11-12T09:00:00Z
"""


def parse_raw_request(raw: bytes) -> tuple[str, str, list[tuple[str, str]], bytes]:
    """An HTTP request as the suite writes it: the target may hold spaces, headers repeat and fold."""
    head, _, body = raw.partition(b"\n\n")
    lines = head.decode().split("\n")
    method, _, rest = lines[0].partition(" ")
    target = rest.rpartition(" ")[0]
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t"):
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
        elif line:
            name, _, value = line.partition(":")
            headers.append((name, value.strip(" \t")))
    return method, target, headers, body


def suite_declaration(case: Path) -> Declaration:
    method, target, headers, body = parse_raw_request((case / f"{case.name}.req").read_bytes())
    host = next(value for name, value in headers if name.lower() == "host")
    path, _, query = target.partition("?")
    url = f"https://{host}{path}"
    if query:  # the suite writes some queries raw (UTF-8, unencoded); on the wire they are %XX
        pairs = (pair.partition("=") for pair in query.split("&"))
        url += "?" + "&".join(f"{quote(unquote(k), safe='-_.~')}={quote(unquote(v), safe='-_.~')}"
                              for k, _, v in pairs)
    expected = (case / f"{case.name}.creq").read_text()
    token_line = next((line for line in expected.split("\n") if line.startswith("x-amz-security-token:")), None)
    token = token_line.partition(":")[2] if token_line else None
    signed_headers = [(n, v) for n, v in headers if not (token and n.lower() == "x-amz-security-token")]
    return Declaration("service", "us-east-1", method, url, tuple(signed_headers), body,
                       AWS_EXAMPLE_ACCESS_KEY, AWS_EXAMPLE_SECRET_KEY, token, SUITE_TIME)


CASES = sorted(p for p in VECTORS.iterdir() if p.is_dir())


def test_the_whole_suite_is_here():
    assert len(CASES) == 34
    assert {"get-vanilla", "post-x-www-form-urlencoded", "get-header-value-trim", "get-header-key-duplicate",
            "get-header-value-multiline", "post-sts-header-before"} <= {c.name for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_aws_test_suite_vector(case):
    signed = sign(suite_declaration(case))
    assert signed.canonical_request == (case / f"{case.name}.creq").read_text()
    assert signed.string_to_sign == (case / f"{case.name}.sts").read_text()
    assert signed.authorization == (case / f"{case.name}.authz").read_text()


def test_the_suites_signing_key_is_derived_by_our_own_chain():
    """AWS's documented example key derivation (secret wJalr…, 20120215, us-east-1, iam)."""
    chain = key_chain(AWS_EXAMPLE_SECRET_KEY, "20120215", "us-east-1", "iam")
    assert chain[-1].value.hex() == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"


def _random_text(rng: random.Random, alphabet: str, low: int, high: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def _random_declaration(rng: random.Random) -> Declaration:
    awkward = string.ascii_letters + string.digits + " -_.~/+=&?%:,;'\"é€ሴ"
    method = rng.choice(["GET", "POST", "PUT", "DELETE"])
    path = "/" + "/".join(_random_text(rng, string.ascii_letters + "-_.~ é", 1, 8) for _ in range(rng.randint(0, 3)))
    query = [(_random_text(rng, awkward, 1, 6), _random_text(rng, awkward, 0, 8)) for _ in range(rng.randint(0, 4))]
    url = f"https://{rng.choice(['email', 'sqs', 'example'])}.{rng.choice(['us-east-1', 'eu-west-3'])}.amazonaws.com"
    url += quote(path, safe="/~")
    if query:
        url += "?" + "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in query)
    headers = tuple(
        (f"X-Test-{i}-{_random_text(rng, string.ascii_letters, 1, 5)}",
         rng.choice(["", "  ", "\t"]) + _random_text(rng, string.ascii_letters + "  ;,=", 1, 12) + rng.choice(["", " "]))
        for i in range(rng.randint(0, 4))
    )
    body = b"" if method in ("GET", "DELETE") else _random_text(rng, awkward, 0, 60).encode()
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=rng.randint(0, 10**8))
    return Declaration(rng.choice(["ses", "sqs", "execute-api"]), rng.choice(["us-east-1", "eu-west-3", "ap-south-2"]),
                       method, url, headers, body, "AKIDEXAMPLE" + _random_text(rng, string.ascii_uppercase, 0, 4),
                       _random_text(rng, string.ascii_letters + string.digits + "/+", 40, 40) + "EXAMPLE",
                       rng.choice([None, "EXAMPLE" + _random_text(rng, string.ascii_letters, 10, 30)]), moment)


def _botocore_add_auth(declaration: Declaration) -> AWSRequest:
    """botocore's own add_auth(), its clock stopped at the declared moment."""
    request = AWSRequest(method=declaration.method, url=declaration.url, data=declaration.body)
    for name, value in declaration.headers:
        request.headers[name] = value
    credentials = Credentials(declaration.access_key, declaration.secret_key, declaration.session_token)
    with mock.patch.object(botocore.auth.datetime, "datetime", mock.Mock(wraps=dt.datetime)) as clock:
        clock.now.return_value = declaration.time
        clock.utcnow.return_value = declaration.time.replace(tzinfo=None)
        SigV4Auth(credentials, declaration.service, declaration.region).add_auth(request)
    return request


@pytest.mark.parametrize("seed", range(200))
def test_random_requests_sign_as_botocore_signs_them(seed):
    declaration = _random_declaration(random.Random(seed))
    signed = sign(declaration)
    assert signed.authorization == _botocore_add_auth(declaration).headers["Authorization"]
    # and the signature follows from the shown string to sign with nothing but hmac
    k_signing = key_chain(declaration.secret_key, declaration.amz_date[:8], declaration.region,
                          declaration.service)[-1].value
    assert signed.signature == hmac.new(k_signing, signed.string_to_sign.encode(), hashlib.sha256).hexdigest()


@pytest.mark.parametrize("seed", range(100))
def test_the_curl_command_sends_exactly_what_was_signed(seed):
    declaration = _random_declaration(random.Random(seed))
    signed = sign(declaration)
    words = shlex.split(curl(signed).replace("\\\n", " "))
    assert words[:5] == ["curl", "--silent", "--show-error", "--request", declaration.method]
    sent = {"url": words[5], "headers": [], "body": b""}
    for option, value in zip(words[6::2], words[7::2], strict=True):
        if option == "--header":
            name, _, header_value = value.partition(": ")
            sent["headers"].append((name, header_value))
        else:
            assert option == "--data-binary"
            sent["body"] = value.encode()
    resent = Declaration(declaration.service, declaration.region, declaration.method, sent["url"],
                         tuple((n, v) for n, v in sent["headers"]
                               if n not in ("Authorization", "X-Amz-Date", "X-Amz-Security-Token")),
                         sent["body"], declaration.access_key, declaration.secret_key, declaration.session_token,
                         declaration.time)
    assert ("Authorization", signed.authorization) in sent["headers"]
    assert sign(resent).signature == signed.signature


def test_credentials_in_the_environment_are_never_used(monkeypatch, tmp_path):
    before = sign(parse(SEND_EMAIL, "page.md"))
    (tmp_path / "credentials").write_text("[default]\naws_access_key_id = AKIDOTHER\n"
                                          "aws_secret_access_key = otherEXAMPLEsecret\n")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENVIRONMENT")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fromTheEnvironmentEXAMPLE")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "tokenEXAMPLE")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    assert sign(parse(SEND_EMAIL, "page.md")) == before
    assert "AKIDEXAMPLE/20261112/us-east-1/ses/aws4_request" in before.authorization


def test_the_declaration_gives_body_headers_and_time():
    declaration = parse(SEND_EMAIL, "page.md")
    assert declaration.url == "https://email.us-east-1.amazonaws.com/"
    assert declaration.body == b"Action=SendEmail&Source=sender%40example.com"
    assert declaration.amz_date == "20261112T090000Z"
    signed = sign(declaration)
    assert [name for name, _ in signed.headers] == ["Content-Type", "X-Amz-Date", "Authorization"]
    assert signed.credential_scope == "20261112/us-east-1/ses/aws4_request"


@pytest.mark.parametrize("change, line, message", [
    (("access_key: AKIDEXAMPLE", "access_key: AKIAQ3EGRZ6WJ2LNXK7D"), 10, "shape of a real AWS access key"),
    (("access_key: AKIDEXAMPLE", "access_key: AKIAIOSFODNN7EXAMPLE"), 10, "shape of a real AWS access key"),
    (("access_key: AKIDEXAMPLE", "access_key: ASIAQ3EGRZ6WJ2LNXK7D"), 10, "shape of a real AWS access key"),
    (("secret_key: wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "secret_key: wJalrXUtnFEMI/K7MDENG+bPxRfiCYzIp3Xq9kTr"),
     11, "secret_key is not marked as an example"),
    (("region: us-east-1", "region: US-East"), 2, "not an AWS region name"),
    (("region: us-east-1", "region: eu-west-1"), 2, "does not match the endpoint's us-east-1"),
    (("us-east-1", "us-east-9"), 2, "region us-east-9 is not one AWS has, as far as botocore"),
    (("region: us-east-1", "region: [us-east-1"), 3, "(while parsing a flow sequence, which starts at line 2)"),
    (("form:\n  Action: SendEmail\n  Source: sender@example.com\n", ""), 1, "POST needs a body"),
    (("  Content-Type:", "  Content Type:"), 6, "not a valid HTTP field name"),
    (("headers:\n", "headers:\n  X-Amz-Date: 20261112T090000Z\n"), 6, "set by the signer"),
    (("time: 2026-11-12T09:00:00Z", "time: 2026-11-12T09:00:00"), 12, "in UTC"),
    (("time: 2026-11-12T09:00:00Z", "time: 12 November"), 12, "time '12 November'"),
    (("method: POST", "method: FETCH"), 3, "method 'FETCH'"),
    (("endpoint: https://email.us-east-1.amazonaws.com", "endpoint: email.us-east-1.amazonaws.com"), 4,
     "scheme and host only"),
    (("  Action: SendEmail", "  Action: SendEmail\n  Version: 2010-12-01"), 9, "quote it"),
    (("service: ses", "service: ses\nquery_string: x"), 2, "unknown key 'query_string'"),
])
def test_bad_declarations_are_refused_with_their_line(change, line, message):
    text = SEND_EMAIL.replace(*change)
    assert text != SEND_EMAIL
    with pytest.raises(DeclarationError) as caught:
        parse(text, "docs/posts/x.md", 1)
    assert caught.value.line == line, str(caught.value)
    assert message in caught.value.message
    assert str(caught.value).startswith(f"docs/posts/x.md:{line}: ")


def test_a_header_value_with_a_line_break_is_refused():
    text = SEND_EMAIL.replace("charset=utf-8", 'charset=utf-8\\r\\nX-Injected: 1"').replace(
        "Content-Type: application", 'Content-Type: "application')
    with pytest.raises(DeclarationError, match="control character"):
        parse(text, "page.md")


def test_errors_inside_a_fence_name_the_page_line():
    with pytest.raises(DeclarationError) as caught:
        parse(SEND_EMAIL.replace("AKIDEXAMPLE", "AKIAQ3EGRZ6WJ2LNXK7D"), "docs/posts/x.md", 41)
    assert caught.value.line == 50


def test_credential_scan_finds_key_shapes_and_spares_examples_and_digests():
    text = ("id AKIAQ3EGRZ6WJ2LNXK7D and ASIAQ3EGRZ6WJ2LNXK7E; secret Zq3f9XkT1bWcR8mN2pLs7vY4hJ0eGuAa6dKoQ5iE\n"
            "example AKIDEXAMPLE wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709\n"
            "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 path /assets/javascripts/x")
    found = [(f.kind, f.text) for f in find_credentials(text)]
    assert found == [("access key id", "AKIAQ3EGRZ6WJ2LNXK7D"), ("access key id", "ASIAQ3EGRZ6WJ2LNXK7E"),
                     ("secret access key", "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")]
