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
from dataclasses import dataclass
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

pytestmark = pytest.mark.planted

ROOT = Layout.of(Path(__file__).parent).root
VENV = Path(sys.prefix)


@dataclass(frozen=True)
class Plant:
    file: str  # the file the mistake is planted in, and that the message must name
    old: str | None  # replaced once by `new`; None: `new` is the whole file
    new: str | None  # None (with old None): `setup` makes the file
    message: str  # what the build must say after `file:line: `
    at: str | None = None  # the line the message must name is the first holding this (default: `new`'s first line)
    also: tuple[tuple[str, str], ...] = ()  # files the mistake needs besides (path, content)
    named: tuple[str, str] | None = None  # the message names another file: (that file, what its line holds)
    context: str | None = None  # the message's {context} is the line of the planted file holding this
    setup: Callable[[Path], None] | None = None  # what else the mistake needs, done in the copy: a link, a FIFO


PAGE = "docs/posts/saslauthd.md"
SPEC = "tests/labs/saslauthd.yml"
STEP = "  - run: saslauthd/chroot-socket-dir.sh"
INCLUDE = '--8<-- "saslauthd/chroot-socket-dir.sh"'
ROGUE = "rm -rf /var/lib/vz"
CHROOT = "snippets/saslauthd/chroot-socket-dir.sh"
NOT_AN_INCLUDE = 'an include is a fence whose only line is --8<-- "file"'
RESULTS = "build/lab-results.json"


def _link(name: str, target: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).symlink_to(target)
    return make


def _bytes(name: str, old: bytes, new: bytes) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        (root / name).write_bytes((root / name).read_bytes().replace(old, new, 1))
    return make


def _fifo(root: Path) -> None:
    (root / RESULTS).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / RESULTS)


def _folder_page(root: Path) -> None:
    (root / "docs/posts/folder.md").mkdir()
    (root / "docs/posts/folder.md/page.txt").write_text("inside\n")


TITLE = "title: Postfix SMTP AUTH through saslauthd (rimap) and the size of saslauthd's worker pool"


def _prose(text: str) -> tuple[str, str]:
    """(old, new): `text` planted between two sections of the saslauthd page."""
    return "\n## ", f"\n{text}\n\n## "


LOL = "".join(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}" if n else "x"] * 10) + "]\n" for n in range(9))

PLANTS = {
    "wrong-check-digit": Plant("docs/posts/php-barcodes.md", "4006381333931", "4006381333932",
                               "barcode: EAN-13 4006381333932: wrong check digit 2, it should be 1"),
    "barcode-error": Plant("docs/posts/php-barcodes.md", 'symbology="ean13"', 'symbology="nosuch"',
                           "barcode: unknown symbology"),
    "snippet-without-step": Plant(PAGE, "\n## ", '\n```bash\n--8<-- "saslauthd/stray.sh"\n```\n\n## ',
                                  "snippet saslauthd/stray.sh has no lab step", at="--8<--",
                                  also=(("snippets/saslauthd/stray.sh", "ls\n"),)),
    "plain-fence": Plant(PAGE, "\n## ", f"\n```bash\n{ROGUE}\n```\n\n## ", f"code without a status ('{ROGUE}')",
                         at="```bash"),
    "indented-code": Plant(PAGE, "\n## ", f"\nText.\n\n    {ROGUE}\n\n## ", f"code without a status ('{ROGUE}')",
                           at=f"    {ROGUE}"),
    "raw-pre": Plant(PAGE, "\n## ", f"\n<pre><code>{ROGUE}</code></pre>\n\n## ", f"code without a status ('{ROGUE}')",
                     at="<pre>"),
    "missing-include": Plant(PAGE, INCLUDE, '--8<-- "saslauthd/no-such-file.sh"',
                             "snippet saslauthd/no-such-file.sh: No such file or directory"),
    "include-outside": Plant(PAGE, INCLUDE, '--8<-- "../README.md"',
                             "snippet '../README.md' is outside snippets/, where it must be"),
    "image-without-alt": Plant("docs/posts/tables-vs-css.md", '```lab-artifact alt="', '```lab-artifact data-x="',
                               "lab-artifact: an image needs alt="),
    "artifact-no-step-makes": Plant("docs/posts/tables-vs-css.md", "tables-vs-css/table-layout-1s.png",
                                    "tables-vs-css/never-made.png",
                                    "lab-artifact: no step of lab tables-vs-css makes never-made.png"),
    "fence-closed-longer": Plant(PAGE, '--8<-- "saslauthd/rollback.sh"\n```\n', '--8<-- "saslauthd/rollback.sh"\n````\n',
                                 "this line closes the fence of line {context} for CommonMark, but "
                                 "pymdownx.superfences closes it only on '```' at the same indent",
                                 at="````", context='```bash title="Restore the previous file and restart"'),
    "topology": Plant("docs/posts/mysql-replication-topologies.md", "\ndb1 -> db2\n", "\ndb1 -> db2\ndb2 =>\n",
                      "topology diagram: expected `source -> target`", at="db2 =>"),
    "results-not-a-mapping": Plant("build/lab-results.json", None, '{"schema": 3, "labs": []}',
                                   "not a results file of schema 3: at labs: [] is not of type 'object'"),
    "results-hosts-a-list": Plant("build/lab-results.json", None,
                                  '{"schema": 3, "labs": {"saslauthd": {"debian-13": {"hosts": []}}}}',
                                  "not a results file of schema 3: at labs.saslauthd.debian-13"),
    "run-a-folder": Plant(SPEC, STEP, "  - run: saslauthd", "snippet 'saslauthd' is a folder, not a file"),
    "range-covered-in-part": Plant(SPEC, STEP, f"{STEP}:1:2",
                                   "lines 3-4 of saslauthd/chroot-socket-dir.sh are run by no lab step",
                                   named=(PAGE, INCLUDE)),
    "run-outside": Plant(SPEC, STEP, "  - run: ../../../../etc/hostname",
                         "snippet '../../../../etc/hostname' is outside snippets/, where it must be"),
    "run-range-past-end": Plant(SPEC, STEP, f"{STEP}:1:9999",
                                "snippet saslauthd/chroot-socket-dir.sh:1:9999: the file has only"),
    "placeholder-undefined": Plant(SPEC, STEP, f"{STEP}\n  - command: echo <NEVER_DEFINED>",
                                   "step {step} uses <NEVER_DEFINED>, which neither the lab's vars nor any step's capture defines",
                                   at="  - command: echo <NEVER_DEFINED>"),
    "yaml-in-a-spec": Plant(SPEC, "\nhosts:\n", "\nhosts: [\n", "did not find expected ',' or ']' (while parsing a "
                            "flow sequence, which starts at line {context})", at="    image: mail", context="hosts: ["),
    "yaml-in-a-declaration": Plant("snippets/ses-signing/send-email.sigv4.yml", "region: us-east-1",
                                   "region: [us-east-1", "did not find expected ',' or ']' (while parsing a flow "
                                   "sequence, which starts at line {context})", at="method: POST",
                                   context="region: [us-east-1"),
    "unknown-region": Plant("snippets/ses-signing/send-email.sigv4.yml", "us-east-1", "us-east-9",
                            "region us-east-9 is not one AWS has", at="region: us-east-9"),
}

# Include lines that pymdownx.snippets and the page's own reading took differently, links that left the
# project, strings that reached the HTML raw, and inputs that ended in a traceback or a hang.
PLANTS |= {
    "snippet-includes-another": Plant(CHROOT, None, 'mkdir -p x\n--8<-- "saslauthd/rollback.sh"\n',
                                      f"{CHROOT}:2: a snippet cannot include another", named=(SPEC, STEP)),
    "snippet-marks-a-section": Plant(CHROOT, None, "mkdir -p x  # --8<-- [start:setup]\n",
                                     f"{CHROOT}:1: a snippet cannot include another or mark a section",
                                     named=(SPEC, STEP)),
    "include-in-prose": Plant(PAGE, *_prose('--8<-- "../README.md"'), NOT_AN_INCLUDE),
    "include-in-admonition": Plant(PAGE, *_prose('!!! note\n    --8<-- "saslauthd/passwd"'), NOT_AN_INCLUDE,
                                   at='    --8<-- "saslauthd/passwd"', setup=_link("snippets/saslauthd/passwd", "/etc/passwd")),
    "include-in-list-item": Plant(PAGE, *_prose('- item\n\n    --8<-- "saslauthd/rollback.sh" '), NOT_AN_INCLUDE,
                                  at='    --8<-- "saslauthd/rollback.sh" '),
    "include-in-footnote": Plant(PAGE, *_prose('Text.[^9]\n\n[^9]:\n    --8<-- "saslauthd/x.sh"'), NOT_AN_INCLUDE,
                                 at='    --8<-- "saslauthd/x.sh"'),
    "include-in-raw-pre": Plant(PAGE, *_prose('<pre>\n--8<-- "saslauthd/in-pre.sh"\n</pre>'), NOT_AN_INCLUDE,
                                at='--8<-- "saslauthd/in-pre.sh"'),
    "block-format-include": Plant(PAGE, *_prose("```bash\n--8<--\nsaslauthd/rollback.sh\n--8<--\n```"),
                                  NOT_AN_INCLUDE, at="--8<--\nsaslauthd/rollback.sh"),
    "two-includes-in-a-fence": Plant(PAGE, *_prose('```bash\n--8<-- "saslauthd/one.sh"\n--8<-- "saslauthd/two.sh"\n```'),
                                     NOT_AN_INCLUDE, at='--8<-- "saslauthd/one.sh"'),
    "url-include": Plant(PAGE, INCLUDE, '--8<-- "https://example.org/install.sh"', "'https://example.org/install.sh' is a URL: a snippet is a file"),
    "section-include": Plant(PAGE, INCLUDE, '--8<-- "saslauthd/chroot-socket-dir.sh:setup"',
                             "line range of 'saslauthd/chroot-socket-dir.sh:setup' is not numeric (sections are not "
                             "supported"),
    "quote-in-a-snippet-name": Plant(PAGE, INCLUDE, """--8<-- 'saslauthd/a"onclick="b.sh'""", "snippet name"),
    "snippet-links-outside": Plant(PAGE, INCLUDE, '--8<-- "saslauthd/passwd"',
                                   "snippet 'saslauthd/passwd' is outside snippets/",
                                   setup=_link("snippets/saslauthd/passwd", "/etc/passwd")),
    "snippet-closes-its-fence": Plant(PAGE, *_prose('```text not-executable="Shown only."\n--8<-- "saslauthd/closes.txt"\n```'),
                                      "snippet saslauthd/closes.txt: line 2 of the snippet would close the fence",
                                      at='--8<-- "saslauthd/closes.txt"',
                                      also=(("snippets/saslauthd/closes.txt", "text\n```\n<script>alert(1)</script>\n"),)),
    "page-links-outside": Plant("docs/posts/leak.md", None, None, "is a link to /etc/passwd, outside",
                                setup=_link("docs/posts/leak.md", "/etc/passwd")),
    "asset-links-outside": Plant("docs/leak.txt", None, None, "is a link to /etc/hostname, outside",
                                 setup=_link("docs/leak.txt", "/etc/hostname")),
    "page-is-a-folder": Plant("docs/posts/folder.md", None, None, "is not a regular file but a folder",
                              setup=_folder_page),
    "page-links-to-nothing": Plant("docs/posts/broken.md", None, None, "is a link to nothing",
                                   setup=_link("docs/posts/broken.md", "nowhere.md")),
    "page-not-utf8": Plant(PAGE, "\n## ", "\nCaf\u00e9 au lait.\n\n## ", "byte 0xff is not UTF-8",
                           at="Caf", setup=_bytes(PAGE, "Caf\u00e9".encode(), b"Caf\xff")),
    "spec-not-utf8": Plant(SPEC, STEP, f"{STEP}  # caf\u00e9", "byte 0xff is not UTF-8",
                           setup=_bytes(SPEC, "caf\u00e9".encode(), b"caf\xff")),
    "yaml-alias-bomb": Plant(SPEC, TITLE, f"{LOL}title: *l8", "its aliases expand to more than", at="l4: "),
    "host-as-a-list": Plant(SPEC, "    on: mail\n", "    on: [mail]\n", "step {step}: on: names one host, as text"),
    "title-not-text": Plant(SPEC, TITLE, "title: [a, b]", "title must be text"),
    "duplicate-slug": Plant("docs/posts/zz-copy.md", None, "---\ndate: 2026-11-01\nslug: saslauthd\n---\n\n# Copy\n",
                            "slug 'saslauthd' is taken by docs/posts/saslauthd.md:3 too",
                            named=("docs/posts/zz-copy.md", "slug: saslauthd")),
    "front-matter-title-html": Plant(PAGE, "slug: saslauthd\n", 'slug: saslauthd\ntitle: "<img src=x onerror=alert(1)>"\n',
                                     "title: '<img src=x onerror=alert(1)>' holds <, which the theme would print as HTML",
                                     at="title:"),
    "front-matter-description-quote": Plant(PAGE, "slug: saslauthd\n", "slug: saslauthd\ndescription: 'a\" onfocus=\"x'\n",
                                            "description: 'a\" onfocus=\"x' holds \"", at="description:"),
    "front-matter-tag-html": Plant(PAGE, "tags: [postfix,", "tags: ['<b>x</b>', postfix,", "tags: '<b>x</b>' holds <",
                                   at="tags:"),
    "results-link-outside": Plant(RESULTS, None, None, "is a link to /etc/hostname, outside",
                                  setup=_link(RESULTS, "/etc/hostname")),
    "results-a-fifo": Plant(RESULTS, None, None, "is not a regular file", setup=_fifo),
    "results-nested-deep": Plant(RESULTS, None, "[" * 200_000, "not a results file: nested deeper than any results file is"),
}

# Where the build names the file not as the message's first words: the page including it does.
PREFIX = {
    "yaml-in-a-declaration": "docs/posts/ses-signing.md:{page_line}: sigv4: ",
    "unknown-region": "docs/posts/ses-signing.md:{page_line}: sigv4: ",
}


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
    target.parent.mkdir(parents=True, exist_ok=True)
    if case.old is None:
        text = case.new
        if text is None:
            case.setup(where)
            return 1
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
