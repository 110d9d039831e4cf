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
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

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
    new: str
    message: str  # what the build must say after `file:line: `
    at: str | None = None  # the line the message must name is the first holding this (default: `new`'s first line)
    also: tuple[tuple[str, str], ...] = ()  # files the mistake needs besides (path, content)
    named: tuple[str, str] | None = None  # the message names another file: (that file, what its line holds)
    context: str | None = None  # the message's {context} is the line of the planted file holding this


PAGE = "docs/posts/saslauthd.md"
SPEC = "tests/labs/saslauthd.yml"
STEP = "  - run: saslauthd/chroot-socket-dir.sh"
INCLUDE = '--8<-- "saslauthd/chroot-socket-dir.sh"'
ROGUE = "rm -rf /var/lib/vz"

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
    else:
        before = target.read_text(encoding="utf-8")
        assert case.old in before, f"{case.file} no longer holds {case.old!r}: update the plant"
        text = before.replace(case.old, case.new, 1)
    target.write_text(text, encoding="utf-8")
    for name, content in case.also:
        (where / name).write_text(content, encoding="utf-8")
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
