"""The CI workflows in the repository (.github/workflows/: the labs on every push, the breakages weekly) lint
clean with actionlint and zizmor, and ask the project for what it has: their matrices' releases are the
site's, and each labs shard's artifact is the file `make labs SHARD=K/N RELEASE=…` writes."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from runbook_kb.lab.shards import Shard
from runbook_kb.layout import Layout

LAYOUT = Layout.of(Path(__file__).parent)
WORKFLOW = LAYOUT.root / ".github/workflows/labs.yml"
WORKFLOWS = sorted((LAYOUT.root / ".github/workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_actionlint_finds_nothing(workflow):
    ran = subprocess.run([BIN / "actionlint", "-no-color", str(workflow)], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stdout + ran.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_zizmor_finds_nothing(workflow):
    ran = subprocess.run([BIN / "zizmor", "--offline", "--no-progress", str(workflow)], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_the_breakage_matrix_is_the_sites_releases_and_its_shards_those_the_merge_reads():
    workflow = yaml.safe_load((LAYOUT.root / ".github/workflows/mutants.yml").read_text())
    matrix = workflow["jobs"]["mutants"]["strategy"]["matrix"]
    assert matrix["release"] == list(yaml.safe_load(LAYOUT.releases.read_text()))
    assert matrix["shard"] == list(range(1, len(matrix["shard"]) + 1))
    download = next(step for step in workflow["jobs"]["merge"]["steps"] if "download-artifact" in step.get("uses", ""))
    assert download["with"]["path"] == "build/mutation-shards"


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
