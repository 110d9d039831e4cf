"""Which labs `--labs=changed` keeps, and the order the others run in."""

import json

import pytest

from runbook_kb.lab.inputs import input_files
from runbook_kb.lab.pytest_plugin import schedule
from runbook_kb.lab.results import SCHEMA, record
from runbook_kb.lab.signing import signer
from runbook_kb.lab.spec import load_lab
from runbook_kb.lab.trust import standing

from .helpers import fake_run, sign

pytest_plugins = ["pytester"]


def _demo(layout):
    return load_lab(layout.labs / "demo.yml", layout.snippets)


def _passed(layout):
    return fake_run(layout)


def still_stands(lab, result, layout) -> bool:
    return bool(result) and result.run in standing({result.run: result}, [lab], layout)


def _copied(project, pytester):
    """The project in pytester's folder, collected with the lab plugin."""
    from runbook_kb.layout import Layout

    pytester.chdir()
    for path in project.root.rglob("*"):
        if path.is_file():
            target = pytester.path / path.relative_to(project.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    (pytester.path / "pyproject.toml").write_text('[tool.pytest.ini_options]\naddopts = "-p runbook_kb.lab.pytest_plugin"\n')
    return Layout(pytester.path)


def test_inputs_are_the_files_the_lab_reads(project):
    names = {path.relative_to(project.root).as_posix() for path in input_files(_demo(project), project)
             if project.root in path.parents}
    assert names == {"tests/labs/demo.yml", "tests/labs/demo/box.Containerfile", "snippets/demo/hello.sh",
                     "snippets/demo/hello.txt"}
    # and the harness, wherever it is installed from
    assert any(path.name == "runner.py" for path in input_files(_demo(project), project))


@pytest.mark.parametrize("edit, changes", [
    ("snippets/demo/hello.sh", True),
    ("snippets/demo/hello.txt", True),
    ("tests/labs/demo/box.Containerfile", True),
    ("tests/labs/demo.yml", True),
    ("snippets/demo/manual.sh", False),  # shown on the page as not executable, run by no step
    ("docs/posts/demo.md", False),
])
def test_a_result_stands_until_an_input_changes(project, edit, changes):
    result = _passed(project)
    assert still_stands(_demo(project), result, project)
    path = project.root / edit
    path.write_text(path.read_text() + "# edited\n")
    assert still_stands(_demo(project), result, project) is not changes


def test_failed_missing_or_unfingerprinted_results_do_not_stand(project):
    lab = _demo(project)
    failed = fake_run(project, fail_at=2)
    old = fake_run(project)
    old.inputs = None
    sign(project, old)
    unsigned = fake_run(project)
    unsigned.signature = None
    assert not still_stands(lab, failed, project)
    assert not still_stands(lab, old, project)
    assert not still_stands(lab, unsigned, project)
    assert not still_stands(lab, None, project)


def test_a_result_whose_artifacts_are_gone_does_not_stand(project):
    result = _passed(project)
    result.steps[0].artifacts = {"figures.md": "0" * 64}
    sign(project, result)
    assert not still_stands(_demo(project), result, project)
    project.run_artifacts(result.run).mkdir(parents=True)
    (project.run_artifacts(result.run) / "figures.md").write_text("| a |\n")
    assert still_stands(_demo(project), result, project)


def test_changed_keeps_standing_labs_and_names_them(project, pytester):
    copy = _copied(project, pytester)
    record(copy.results, _passed(copy), signer(copy))

    kept = pytester.runpytest("-m", "lab", "--labs=changed", "--collect-only", "-q")
    kept.stdout.fnmatch_lines(["*1 deselected*"])
    assert "demo.yml::demo" not in kept.stdout.str()

    all_labs = pytester.runpytest("-m", "lab", "--labs=all", "--collect-only", "-q")
    all_labs.stdout.fnmatch_lines(["*demo.yml::demo?debian-13?*"])

    (copy.snippets / "demo" / "hello.sh").write_text("echo changed\n")
    changed = pytester.runpytest("-m", "lab", "--labs=changed", "--collect-only", "-q")
    changed.stdout.fnmatch_lines(["*demo.yml::demo?debian-13?*"])


def test_a_lab_is_one_item_per_release_and_each_is_kept_on_its_own(two_releases, pytester):
    project = two_releases
    copy = _copied(project, pytester)
    listed = pytester.runpytest("-m", "lab", "--collect-only", "-q")
    listed.stdout.fnmatch_lines(["*demo.yml::demo?debian-13?", "*demo.yml::demo?debian-12?"])
    record(copy.results, fake_run(copy, release="debian-12"), signer(copy))
    kept = pytester.runpytest("-m", "lab", "--labs=changed", "--collect-only", "-q")
    kept.stdout.fnmatch_lines(["*demo.yml::demo?debian-13?", "*1 deselected*"])
    assert "debian-12]" not in kept.stdout.str()


def test_a_broken_results_file_stops_the_run_with_its_name(project, pytester):
    pytester.chdir()
    (pytester.path / "tests" / "labs").mkdir(parents=True)
    (pytester.path / "snippets").mkdir()
    (pytester.path / "build").mkdir()
    (pytester.path / "build" / "lab-results.json").write_text(json.dumps({"schema": SCHEMA + 1}))
    run = pytester.runpytest("-p", "runbook_kb.lab.pytest_plugin", "--labs=changed", "--collect-only")
    assert run.ret != 0
    run.stderr.fnmatch_lines(["*build/lab-results.json*not a results file*"])


def test_longest_labs_start_first_paired_across_workers():
    durations = {"raid": 70, "topologies": 76, "saslauthd": 51, "tables": 54, "impossible": 28, "ses": 14,
                 "php": 13, "openvz": 6}
    order = schedule(list(durations), durations, workers=2)
    # Worker 1 gets topologies and saslauthd, worker 2 raid and tables; the rest go to whichever frees first.
    assert order == ["topologies", "saslauthd", "raid", "tables", "impossible", "ses", "php", "openvz"]
    assert schedule(["new", "raid"], durations, workers=1) == ["new", "raid"]
    assert schedule(list(durations), durations, workers=1)[:3] == ["topologies", "raid", "tables"]
    # Five on three workers: xdist deals them round the workers, one at a time. Worker 3 runs topologies
    # alone; tables goes with impossible, raid with ses.
    five = ["raid", "topologies", "tables", "impossible", "ses"]
    assert schedule(five, durations, workers=3) == ["tables", "raid", "topologies", "impossible", "ses"]


@pytest.mark.parametrize("workers", [1, 2, 3, 4])
def test_every_lab_is_scheduled_once_however_few_there_are(workers):
    """Fewer labs than two per worker, an odd number of them (a shard, or a few changed labs): each still
    runs once. xdist runs the items in the order each worker lists them, and does not see a lab listed twice
    in place of another."""
    durations = {f"lab{n}": float(n) for n in range(12)}
    for count in range(len(durations) + 1):
        names = list(durations)[:count]
        for items in (count, count + 9):  # the labs alone, or with the harness's own tests after them
            assert sorted(schedule(names, durations, workers, items)) == sorted(names)
