"""How mutants run: each lab × release in exactly one CI shard, split by cost; the shards' signed files merged
only when every run is trusted and made once; a mutant's steps bounded by the lab's passing run; a mounted
snippet folder showing the mutant too."""

import json

import pytest

from runbook_kb.errors import SpecError
from runbook_kb.lab.results import Run
from runbook_kb.lab.runner import LabRunner
from runbook_kb.lab.shards import Shard
from runbook_kb.lab.signing import signer
from runbook_kb.lab.spec import load_lab, load_labs
from runbook_kb.mutation.__main__ import _share
from runbook_kb.mutation.engine import plan
from runbook_kb.mutation.merge import merge
from runbook_kb.mutation.results import KILLED, MutantResult, MutationRun, load, merge_into, record


def _two_labs(project):
    spec = (project.labs / "demo.yml").read_text()
    (project.labs / "other.yml").write_text(spec)
    return [(lab, release, plan(lab, release, project)) for lab in load_labs(project.labs, project.snippets)
            for release in lab.releases]


def test_every_run_lands_in_exactly_one_shard_the_same_on_every_job(project):
    chosen = _two_labs(project)
    for count in (1, 2, 3, 5):
        shares = [_share(chosen, Shard(k, count), project) for k in range(1, count + 1)]
        names = sorted((lab.name, release.key) for share in shares for lab, release, _ in share)
        assert names == sorted((lab.name, release.key) for lab, release, _ in chosen)
        assert shares == [_share(chosen, Shard(k, count), project) for k in range(1, count + 1)]


def _run(lab: str, release: str = "debian-13") -> MutationRun:
    return MutationRun(lab, release, "inputs", "digest", "2026-12-07T10:00:00+00:00", 1.0,
                       [MutantResult("delete-line@1", "demo/hello.sh", "delete-line", 1, 0, 10, "", "gone", KILLED)])


def _shard_file(project, name: str, *runs: MutationRun) -> None:
    path = project.build / "mutation-shards" / name
    for run in runs:
        record(path, run, signer(project))


def test_signed_shards_merge_and_a_forged_or_doubled_run_stops_the_merge(project):
    _shard_file(project, "debian-13-1-of-2.json", _run("demo"))
    _shard_file(project, "debian-13-2-of-2.json", _run("other"))
    assert merge(project) == (2, 2)
    assert set(load(project.mutation_results)) == {Run("demo", "debian-13"), Run("other", "debian-13")}
    forged = project.build / "mutation-shards" / "debian-13-2-of-2.json"
    data = json.loads(forged.read_text())
    data["labs"]["other"]["debian-13"]["mutants"][0]["status"] = "survived"
    forged.write_text(json.dumps(data))
    _shard_file(project, "debian-12-1-of-2.json", _run("demo"))
    with pytest.raises(SpecError) as raised:
        merge(project)
    assert "debian-13-2-of-2.json: other on debian-13: not signed by a key this project trusts" in str(raised.value)
    assert "demo on debian-13 was mutated by two shards: build/mutation-shards/debian-12-1-of-2.json and " \
           "build/mutation-shards/debian-13-1-of-2.json" in str(raised.value)


def test_a_mutant_runs_each_step_with_the_timeout_its_passing_run_allows(project):
    lab = load_lab(project.labs / "demo.yml", project.snippets)
    runner = LabRunner(lab, lab.releases[0], project, progress=print, timeouts={1: 12.5})
    assert [step.timeout for step in runner.steps] == [12.5, lab.steps[1].timeout]
    assert lab.steps[0].timeout > 12.5


def test_merging_keeps_each_runs_signature(project):
    run = _run("demo")
    record(project.build / "x.json", run, signer(project))
    merge_into(project.mutation_results, [run])
    assert load(project.mutation_results)[run.run].signature == run.signature


def test_a_mounted_snippet_folder_shows_the_mutant_and_its_copy_goes_with_the_hosts(project):
    from runbook_kb.lab.provision import PodmanProvisioner

    lab = load_lab(project.labs / "demo.yml", project.snippets)
    mutated = PodmanProvisioner(lab, lab.releases[0], project, "run", print, {"demo/hello.sh": "echo broken\n"})
    source = project.snippets / "demo"
    copy = mutated._mount_source(source)
    assert copy != source and (copy / "hello.sh").read_text() == "echo broken\n"
    assert (copy / "hello.txt").read_text() == (source / "hello.txt").read_text()
    assert (source / "hello.sh").read_text() == "echo hello\necho world\n"
    assert mutated._mount_source(project.labs) == project.labs  # holds no mutant: mounted as it is
    mutated.remove()
    assert not copy.exists()


def test_only_files_that_compare_steps_alone_read_and_no_mount_holds_are_judged_without_a_run(project):
    from runbook_kb.mutation.judged import judged_files

    lab = load_lab(project.labs / "demo.yml", project.snippets)
    assert judged_files(lab, lab.releases[0], project) == {"demo/hello.txt"}
    spec = project.labs / "demo.yml"
    spec.write_text(spec.read_text() + "  - name: reads the expectation itself\n    command: cat /x/hello.txt; true\n")
    lab = load_lab(spec, project.snippets)
    assert judged_files(lab, lab.releases[0], project) == set()
    spec.write_text(spec.read_text().replace("  - name: reads the expectation itself\n    command: cat /x/hello.txt; true\n", "")
                    .replace("packages: [bash]}", "packages: [bash], mounts: {../../snippets/demo: /x}}"))
    lab = load_lab(spec, project.snippets)
    assert judged_files(lab, lab.releases[0], project) == set()  # a glob could read it there


def test_a_mounted_snippet_file_is_the_mutant(project):
    from runbook_kb.lab.provision import PodmanProvisioner

    lab = load_lab(project.labs / "demo.yml", project.snippets)
    mutated = PodmanProvisioner(lab, lab.releases[0], project, "run", print, {"demo/hello.sh": "echo broken\n"})
    copy = mutated._mount_source(project.snippets / "demo/hello.sh")
    assert copy.read_text() == "echo broken\n" and copy.name == "hello.sh"
    assert mutated._mount_source(project.snippets / "demo/hello.txt") == (project.snippets / "demo/hello.txt").resolve()
    mutated.remove()
    assert not copy.exists()
