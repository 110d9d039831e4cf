"""Each mistake an author can make, planted in a copy of this site: `make site` (which `make serve`, `make test`
and CI build the same way) and `make site-zensical` must stop on it, naming the file and the line where it is,
with no traceback."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from runbook_kb.lab.inputs import lab_inputs
from runbook_kb.layout import Layout
from runbook_kb.lab.results import PASSED, HostEnv, LabResult, StepResult, record
from runbook_kb.lab.signing import CI_KEY_VARIABLE, LOCAL, Signer, key_id, signer
from runbook_kb.snippets import read_snippet
from runbook_kb.lab.spec import load_labs

from planted_cases import INCLUDE, PAGE, PLANTS, PREFIX, Plant

pytestmark = pytest.mark.planted

ROOT = Layout.of(Path(__file__).parent).root
VENV = Path(sys.prefix)


@pytest.fixture(scope="session")
def clean_copy(tmp_path_factory) -> Path:
    """The project's files as a clone would have them, plus what an author has not committed yet."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")
    copy = tmp_path_factory.mktemp("clean") / "site"
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    # What `make site` installs from npm, as it is: no planted build should ask npm again.
    shutil.copytree(ROOT / "build/node-report", copy / "build/node-report", symlinks=True)
    return copy


BUILDS = ["site", "site-zensical"]  # the make targets: MkDocs + Material, and Zensical


def make_site(folder: Path, env: dict | None = None, target: str = "site") -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", "-o", f"{VENV}/.installed", target, f"VENV={VENV}"], cwd=folder,
                          capture_output=True, text=True, timeout=300, env=env)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def plant(copy: Path, where: Path, case: Plant) -> int:
    """Plants `case` in a copy of the clean copy at `where`; returns the line the build must name."""
    shutil.copytree(copy, where)
    target = where / case.file
    if case.old is None and case.new is None:
        case.setup(where)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    if case.old is None:
        text = case.new
    else:
        before = target.read_text(encoding="utf-8")
        assert case.old in before, f"{case.file} no longer holds {case.old!r}: update the plant"
        text = before.replace(case.old, case.new, 1)
    target.write_text(text, encoding="utf-8")
    for name, content in case.also:
        (where / name).write_text(content, encoding="utf-8")
    if case.setup:
        case.setup(where)
    return line_of(text, case.at or case.new.lstrip("\n").split("\n")[0]) if case.old is not None else 1


@pytest.mark.parametrize("target", BUILDS)
def test_the_clean_copy_builds(clean_copy, tmp_path, target):
    shutil.copytree(clean_copy, tmp_path / "site")
    built = make_site(tmp_path / "site", target=target)
    assert built.returncode == 0, built.stdout + built.stderr


@pytest.mark.parametrize("target", BUILDS)
@pytest.mark.parametrize("name", PLANTS)
def test_a_planted_mistake_stops_the_build_at_its_file_and_line(clean_copy, tmp_path, name, target):
    case = PLANTS[name]
    line = plant(clean_copy, tmp_path / "site", case)
    built = make_site(tmp_path / "site", target=target)
    output = built.stdout + built.stderr
    assert built.returncode != 0, f"the build passed:\n{output}"
    assert "Traceback" not in output, output
    if name in PREFIX:
        page = (tmp_path / "site/docs/posts/ses-signing.md").read_text(encoding="utf-8")
        expected = PREFIX[name].format(page_line=line_of(page, '--8<-- "ses-signing/send-email.sigv4.yml"') - 1)
        expected += f"snippets/ses-signing/send-email.sigv4.yml:{line}: "
    elif case.named:
        file, holding = case.named
        expected = f"{file}:{line_of((tmp_path / 'site' / file).read_text(encoding='utf-8'), holding)}: "
    else:
        expected = f"{case.file}:{line}: " if case.old is not None else f"{case.file}: "
    message = case.message
    if case.context or "{step}" in message:
        planted = (tmp_path / "site" / case.file).read_text(encoding="utf-8")
        rows = planted.split("\n")
        # {step}: the planted step's number, counted as the spec lists its steps.
        step = sum(row.startswith("  - ") for row in rows[rows.index("steps:"):line]) if "{step}" in message else None
        message = message.format(context=line_of(planted, case.context) if case.context else None, step=step)
    assert f"{expected}{message}" in output, output


def test_author_text_reaches_the_status_page_escaped_once(clean_copy, tmp_path):
    plant(clean_copy, tmp_path / "site", Plant(PAGE, "\n# ", "\n# <script>alert(1)</script> ", ""))
    built = make_site(tmp_path / "site")
    assert built.returncode == 0, built.stdout + built.stderr
    status = (tmp_path / "site/site/status/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in status
    assert "<script>alert(1)" not in status and "&amp;lt;script" not in status


def forge(layout: Layout, sign_with: Signer, claim_key: str | None = None) -> None:
    """What a forger can write without running anything: every lab passed on today's inputs, every step's
    sha256 recomputed from its snippet, plausible versions, real times; signed by `sign_with`, under the key
    id `claim_key` if given."""
    now = datetime.now(timezone.utc) - timedelta(hours=1)
    for lab, release in ((lab, release) for lab in load_labs(layout.labs, layout.snippets) for release in lab.releases):
        hosts = {name: HostEnv(f"localhost/runbook-lab-{release.suite}-{lab.name}-{name}:0123456789ab", "0123456789ab",
                               f"{release.name} ({release.suite})", {"bash": "5.2.15-2+b13"}) for name in lab.hosts}
        result = LabResult(lab.name, release.key, lab.title, now.isoformat(), 30.0, PASSED, hosts,
                           inputs=lab_inputs(lab, layout, release))
        for step in lab.steps_on(release.key):
            text = read_snippet(layout.snippets, step.snippet) if step.snippet else None
            result.steps.append(StepResult(step.index, step.kind, step.name, step.host, PASSED, 0.5, now.isoformat(),
                                           text and step.snippet.path, text and text.first_line,
                                           text and text.last_line, text and text.sha256))
        record(layout.results, result, sign_with)
    if claim_key:
        data = json.loads(layout.results.read_text(encoding="utf-8"))
        for entry in (entry for releases in data["labs"].values() for entry in releases.values()):
            entry["signature"]["key"] = claim_key
        layout.results.write_text(json.dumps(data), encoding="utf-8")


def site_totals(folder: Path) -> dict[str, int]:
    status = (folder / "site/status/index.html").read_text(encoding="utf-8")
    return {name: int(count) for name, count in re.findall(r'data-status-total="([^"]+)">(\d+)<', status)}


def this_machines_signer(layout: Layout, config: Path) -> Signer:
    saved = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(config)
    try:
        return signer(layout)  # made on first use, in the configuration folder the build will read
    finally:
        os.environ.pop("XDG_CONFIG_HOME") if saved is None else os.environ.update(XDG_CONFIG_HOME=saved)


@pytest.mark.parametrize("signed_by", ["this machine", "a stranger", "a stranger, under CI's key id"])
def test_only_a_trusted_signature_turns_results_into_verified_badges(clean_copy, tmp_path, signed_by):
    """Signed by this machine's key, the forger's file gives what a real local run gives (every lab snippet
    verified or illustrative): the control showing that the same file signed by any other key fails for the
    signature alone."""
    shutil.copytree(clean_copy, tmp_path / "site")
    layout = Layout(tmp_path / "site")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop(CI_KEY_VARIABLE, None)
    mine, stranger = this_machines_signer(layout, tmp_path / "config"), Signer(LOCAL, Ed25519PrivateKey.generate())
    if signed_by == "this machine":
        forge(layout, mine)
    else:
        ci_key = key_id(serialization.load_pem_public_key(layout.ci_public_key.read_bytes()))
        forge(layout, stranger, claim_key=ci_key if "CI" in signed_by else None)
    built = make_site(layout.root, env)
    assert built.returncode == 0, built.stdout + built.stderr
    totals = site_totals(layout.root)
    runnable = totals["all"] - totals["not-executable"]
    if signed_by == "this machine":
        assert totals["verified"] > 0 and totals["verified"] + totals["illustrative"] == runnable, totals
    else:
        assert totals["verified"] == totals["illustrative"] == 0 and totals["unverified"] == runnable, totals


@pytest.mark.parametrize("target", BUILDS)
def test_an_include_line_with_trailing_blanks_shows_its_snippet(clean_copy, tmp_path, target):
    """pymdownx.snippets left such a line on the page, literally, under the badge of the lab that ran the file."""
    plant(clean_copy, tmp_path / "site", Plant(PAGE, INCLUDE, f"{INCLUDE} \t", ""))
    built = make_site(tmp_path / "site", target=target)
    assert built.returncode == 0, built.stdout + built.stderr
    out = tmp_path / "site" / ("site" if target == "site" else "build/site-zensical")
    html = (out / "saslauthd/index.html").read_text(encoding="utf-8")
    assert "--8&lt;--" not in html and "--8<--" not in html
    assert "dpkg-statoverride" in html  # a line of saslauthd/chroot-socket-dir.sh


@pytest.mark.parametrize("target", BUILDS)
def test_a_page_with_crlf_line_endings_builds_as_before(clean_copy, tmp_path, target):
    root = tmp_path / "site"
    plant(clean_copy, root, Plant(PAGE, INCLUDE, INCLUDE, ""))
    page = root / PAGE
    page.write_bytes(page.read_bytes().replace(b"\n", b"\r\n"))
    built = make_site(root, target=target)
    assert built.returncode == 0, built.stdout + built.stderr


def _resign(layout: Layout, signer_: Signer, edit: Callable[[dict], None]) -> None:
    data = json.loads(layout.results.read_text(encoding="utf-8"))
    for entry in (entry for releases in data["labs"].values() for entry in releases.values()):
        edit(entry)
        entry["signature"] = None
        entry["signature"] = signer_.sign(entry)
    layout.results.write_text(json.dumps(data), encoding="utf-8")


def _fail_with_links(entry: dict) -> None:
    entry["outcome"] = "failed"
    for step in entry["steps"][-1:]:
        step["outcome"], step["message"] = "failed", "[m](javascript:alert(4)) <b>{: onclick=x}</b>"
    for host in entry["hosts"].values():
        host["os"] = "[o](javascript:alert(5))"


@pytest.mark.parametrize("target", BUILDS)
def test_author_and_signed_strings_never_become_links_or_markup(clean_copy, tmp_path, target):
    """A title, a not_on reason, a pending reason, a failure message and a host's os-release name, each
    written as a Markdown link to javascript:, reach the pages as text: every link the site has is http(s),
    mailto-free relative, or an anchor."""
    root = tmp_path / "site"
    plant(clean_copy, root, Plant(PAGE, "\n# ", "\n# x](javascript:alert(1))[y ", ""))
    layout = Layout(root)
    spec = layout.labs / "tables-vs-css.yml"
    spec.write_text(spec.read_text(encoding="utf-8") + 'not_on:\n  debian-12: "[n](javascript:alert(2))"\n',
                    encoding="utf-8")
    (layout.labs / "windows7-shrink.yml").write_text(
        'title: Shrinking\npending: "[p](javascript:alert(3)) *{: onclick=alert(6)}*"\n', encoding="utf-8")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop(CI_KEY_VARIABLE, None)
    mine = this_machines_signer(layout, tmp_path / "config")
    forge(layout, mine)
    _resign(layout, mine, _fail_with_links)
    built = make_site(root, env, target)
    assert built.returncode == 0, built.stdout + built.stderr
    out = root / ("site" if target == "site" else "build/site-zensical")
    status = (out / "status/index.html").read_text(encoding="utf-8")
    for n in range(1, 6):
        assert f"javascript:alert({n})" in status, f"planted string {n} is not on the status page"
    for page in out.rglob("*.html"):
        attributes = _Attributes()
        attributes.feed(page.read_text(encoding="utf-8"))
        assert not attributes.handlers, (page, attributes.handlers)
        assert not {urlsplit(link).scheme for link in attributes.links} - {"", "http", "https", "data"}, page


class _Attributes(HTMLParser):
    """Every link target and every event handler attribute of a page, as a browser parses them."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.handlers: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction") and value:
                self.links.append(value.strip())
            elif name.startswith("on"):
                self.handlers.append((tag, name))
