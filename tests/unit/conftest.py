"""A small project on disk (docs, snippets, lab specs) for the harness and plugin tests."""

import base64
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from runbook_kb.layout import Layout
from runbook_kb.lab.signing import CI_KEY_VARIABLE

CONTAINERFILE = "ARG BASE\nFROM $BASE\n"
# The repository's own release recipes (a different recipe under the same base image name would make every
# lab run rebuild it): the first alone, as most tests need; `two_releases` lists both.
_RELEASES = yaml.safe_load((Path(__file__).parents[1] / "releases.yml").read_text())
RELEASES = yaml.safe_dump(dict(list(_RELEASES.items())[:1]), sort_keys=False)
TWO_RELEASES = yaml.safe_dump(dict(list(_RELEASES.items())[:2]), sort_keys=False)


# A CI key of the tests' own: the project's trusts it as the repository trusts the real one.
CI_KEY = Ed25519PrivateKey.generate()
CI_KEY_B64 = base64.b64encode(CI_KEY.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                                   serialization.NoEncryption())).decode()


@pytest.fixture(autouse=True)
def own_signing_keys(tmp_path_factory, monkeypatch):
    """Every test signs with a local key of its own, never this machine's, and not as CI unless it says so."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    monkeypatch.delenv(CI_KEY_VARIABLE, raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Layout:
    layout = Layout(tmp_path)
    layout.ci_public_key.parent.mkdir(parents=True)
    layout.ci_public_key.write_bytes(CI_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    layout.releases.write_text(RELEASES)
    (layout.snippets / "demo").mkdir(parents=True)
    (layout.labs / "demo").mkdir(parents=True)
    (layout.docs / "posts").mkdir(parents=True)
    (layout.snippets / "demo/hello.sh").write_text("echo hello\necho world\n")
    (layout.snippets / "demo/hello.txt").write_text("hello\nworld\n")
    (layout.snippets / "demo/manual.sh").write_text("reboot\n")
    (layout.labs / "demo/box.Containerfile").write_text(CONTAINERFILE)
    (layout.labs / "demo.yml").write_text(
        "title: Demo\n"
        "images:\n  box: demo/box.Containerfile\n"
        "hosts:\n  box: {image: box, packages: [bash]}\n"
        "steps:\n"
        "  - run: demo/hello.sh\n    expect: |\n      hello\n      world\n"
        "  - compare: demo/hello.txt\n    against: printf 'hello\\nworld\\n'\n"
    )
    (layout.docs / "index.md").write_text("# Home\n")
    (layout.docs / "status.md").write_text("# Runbook status\n\n```runbook-status\n```\n")
    (layout.docs / "posts/demo.md").write_text(
        "# Demo runbook\n\n"
        '```bash title="Say \\"hello\\""\n--8<-- "demo/hello.sh"\n```\n\n'
        '```text title="It\'s output"\n--8<-- "demo/hello.txt"\n```\n\n'
        '```bash not-executable="Reboots the machine."\n--8<-- "demo/manual.sh"\n```\n'
    )
    return layout


@pytest.fixture
def two_releases(project: Layout) -> Layout:
    project.releases.write_text(TWO_RELEASES)
    return project
