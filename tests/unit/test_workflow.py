"""The CI workflow in the repository (.github/workflows/labs.yml) lints clean with actionlint and zizmor,
and asks the project for what it has: its matrix's releases are the site's, and each shard's artifact is
the file `make labs SHARD=K/N RELEASE=…` writes."""

import subprocess
import sys
from pathlib import Path

import yaml

from runbook_kb.lab.shards import Shard
from runbook_kb.layout import Layout

LAYOUT = Layout.of(Path(__file__).parent)
WORKFLOW = LAYOUT.root / ".github/workflows/labs.yml"
BIN = Path(sys.executable).parent


def test_actionlint_finds_nothing():
    ran = subprocess.run([BIN / "actionlint", "-no-color", str(WORKFLOW)], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_zizmor_finds_nothing():
    ran = subprocess.run([BIN / "zizmor", "--offline", "--no-progress", str(WORKFLOW)], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_the_matrix_is_the_sites_releases_and_its_artifacts_the_shard_files():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    labs = workflow["jobs"]["labs"]
    matrix = labs["strategy"]["matrix"]
    assert matrix["release"] == list(yaml.safe_load(LAYOUT.releases.read_text()))
    count = len(matrix["shard"])
    assert matrix["shard"] == list(range(1, count + 1))
    upload = next(step for step in labs["steps"] if "upload-artifact" in step.get("uses", ""))["with"]
    shard = Shard(2, count, "debian-13")
    filled = {"${{ matrix.release }}": shard.release, "${{ matrix.shard }}": str(shard.index)}
    for key in ("name", "path"):
        for placeholder, value in filled.items():
            upload[key] = upload[key].replace(placeholder, value)
    assert upload["path"] == f"build/shards/{shard.name}.json" and upload["name"] == f"shard-{shard.name}"
    step = next(step for step in labs["steps"] if step.get("name") == "This shard's labs")
    assert step["env"]["SHARD"] == f"${{{{ matrix.shard }}}}/{count}"
