"""The guide's examples (docs/guide/examples/) are real files: every one is shown by a guide page, the lab
specs load as lab specs against the real snippets, images and releases, the Markdown examples' fences pass
the checks the build makes, and the signature check an auditor is given runs."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from runbook_kb.barcodes.spec import parse as parse_barcode
from runbook_kb.diagrams.topology import parse as parse_topology
from runbook_kb.fences import lex
from runbook_kb.includes import include_ref, scan
from runbook_kb.lab.signing import CI, Signer
from runbook_kb.lab.spec import load_lab, load_labs
from runbook_kb.layout import Layout
from runbook_kb.sigv4.declaration import parse as parse_declaration
from runbook_kb.sigv4.signing import sign
from runbook_kb.snippets import read_snippet

LAYOUT = Layout.of(Path(__file__).parent)
GUIDE = LAYOUT.docs / "guide"
EXAMPLES = sorted(p for p in (GUIDE / "examples").iterdir() if p.is_file())


def test_every_example_is_shown_by_a_guide_page_and_every_shown_example_exists():
    shown = {fence.body.strip() for page in GUIDE.glob("*.md") for fence in lex(page.read_text(encoding="utf-8"))
             if fence.lang == "example"}
    assert shown == {path.name for path in EXAMPLES}


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> Layout:
    """The lab specs, snippets and releases of the project, where an example spec can sit beside the real ones."""
    root = tmp_path_factory.mktemp("guide")
    shutil.copytree(LAYOUT.labs, root / "tests/labs")
    shutil.copytree(LAYOUT.snippets, root / "snippets")
    shutil.copy(LAYOUT.releases, root / "tests/releases.yml")
    return Layout(root)


@pytest.mark.parametrize("example", [p for p in EXAMPLES if p.suffix == ".yml"], ids=lambda p: p.name)
def test_a_lab_spec_example_loads_as_a_lab(project_copy, example):
    spec = project_copy.labs / f"guide-{example.name}"
    shutil.copy(example, spec)
    lab = load_lab(spec, project_copy.snippets)
    assert lab.steps and all(step.host in lab.hosts for step in lab.steps)


@pytest.mark.parametrize("example", [p for p in EXAMPLES if p.suffix == ".txt"], ids=lambda p: p.name)
def test_a_markdown_example_passes_the_builds_checks(example):
    text = example.read_text(encoding="utf-8")
    fences = lex(text)
    assert fences
    labs = {lab.name: lab for lab in load_labs(LAYOUT.labs, LAYOUT.snippets)}
    includes, _ = scan(example.name, text)
    for inc in includes:
        read_snippet(LAYOUT.snippets, inc.ref)  # a file the runbooks have
        assert inc.reason is None or inc.reason.strip()
    for fence in fences:
        if fence.lang == "barcode":
            parse_barcode(fence.options, fence.body)
        elif fence.lang == "topology":
            assert parse_topology(fence.body)
        elif fence.lang == "sigv4" and not include_ref(fence.body):
            sign(parse_declaration(fence.body, example, fence.first + 2))
        elif fence.lang == "lab-artifact":
            lab, name = fence.body.strip().split("/")
            assert name in {made for step in labs[lab].steps for made in step.artifact_names}


def test_the_auditors_signature_check_accepts_a_signed_entry_and_refuses_an_altered_one(tmp_path):
    key = Ed25519PrivateKey.generate()
    (tmp_path / "tests/labs/signers").mkdir(parents=True)
    (tmp_path / "tests/labs/signers/ci.pub").write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    entry = {"lab": "saslauthd", "release": "debian-13", "outcome": "passed", "steps": []}
    entry["signature"] = Signer(CI, key).sign(entry)
    (tmp_path / "build").mkdir()
    results = tmp_path / "build/lab-results.json"
    results.write_text(json.dumps({"schema": 3, "labs": {"saslauthd": {"debian-13": entry}}}))
    check = [sys.executable, str(GUIDE / "examples/verify-signature.py")]
    ran = subprocess.run(check, cwd=tmp_path, capture_output=True, text=True)
    assert ran.returncode == 0 and "signed by the key" in ran.stdout, ran.stderr
    results.write_text(re.sub('"passed"', '"failed"', results.read_text()))
    ran = subprocess.run(check, cwd=tmp_path, capture_output=True, text=True)
    assert ran.returncode != 0 and "InvalidSignature" in ran.stderr


def test_the_lab_commands_name_real_labs_and_releases():
    labs = {path.stem for path in LAYOUT.labs.glob("*.yml")}
    releases = set(yaml.safe_load(LAYOUT.releases.read_text()))
    for line in (GUIDE / "examples/run-one-lab.sh").read_text().splitlines():
        runbooks = re.search(r'RUNBOOK="?([^"]+?)"?(?: |$)', line)[1].split()
        assert runbooks and set(runbooks) <= labs, line
        assert set(re.findall(r"--release ([\w-]+)", line)) <= releases, line
