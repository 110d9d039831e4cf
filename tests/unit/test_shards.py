"""Shards of the lab items and the merge of their results: every item in exactly one shard for any N, the
shards balanced by recorded durations, and a merge that believes only signed, complete, unrepeated results."""

import json
import random
from pathlib import Path

import pytest

from runbook_kb.lab.merge import MergeError, merge
from runbook_kb.lab.results import load_results, record
from runbook_kb.lab.shards import Shard, load_durations, plan
from runbook_kb.lab.signing import signer
from runbook_kb.layout import Layout

from .helpers import fake_run

REAL = Layout.of(Path(__file__).parent)


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "a/b", "1/0", " 2/ 3"])
def test_a_shard_is_k_of_n(text):
    with pytest.raises(ValueError, match=r"write K/N, a shard K of N"):
        Shard.parse(text)


@pytest.mark.parametrize("count", [1, 2, 3, 7, 16, 40])
def test_every_item_lands_in_exactly_one_shard(count):
    ids = [f"tests/labs/lab-{n}.yml::lab-{n}[debian-{r}]" for n in range(17) for r in (13, 12)]
    durations = {nodeid: random.Random(nodeid).uniform(5, 120) for nodeid in ids[::3]}  # some never ran
    shards = [items for items, _ in plan(ids, durations, count)]
    assert sorted(nodeid for items in shards for nodeid in items) == sorted(ids)
    # The same shards whatever order a job collected the items in.
    assert [sorted(items) for items, _ in plan(list(reversed(ids)), durations, count)] == [sorted(i) for i in shards]


@pytest.mark.parametrize("count", [20, 100])
def test_a_thousand_runbooks_split_evenly_by_the_real_labs_durations(count):
    """Two releases of 1,000 runbooks, each lab's duration drawn from the real labs' recorded ones: no
    shard is planned more than 1.15 times the mean."""
    real = sorted(load_durations(REAL.durations).values())
    assert len(real) >= 10
    rng = random.Random(19)
    durations = {f"tests/labs/rb-{n:04d}.yml::rb-{n:04d}[debian-{r}]": rng.choice(real)
                 for n in range(1000) for r in (13, 12)}
    planned = [seconds for _, seconds in plan(list(durations), durations, count)]
    mean = sum(planned) / count
    assert max(planned) <= 1.15 * mean, f"longest {max(planned):.0f} s, mean {mean:.0f} s"


def _shard_file(layout, name, *results):
    path = layout.shards / name
    for result in results:
        record(path, result, signer(layout))
    return path


def test_merged_shards_become_the_sites_results_and_the_next_durations(two_releases):
    layout = two_releases
    _shard_file(layout, "1-of-2.json", fake_run(layout, release="debian-13"))
    _shard_file(layout, "2-of-2.json", fake_run(layout, release="debian-12"))
    assert merge(layout) == (2, 2)
    assert sorted(f"{run}" for run in load_results(layout.results)) == ["demo on debian-12", "demo on debian-13"]
    assert json.loads(layout.durations.read_text()) == {"tests/labs/demo.yml::demo[debian-12]": 3.5,
                                                         "tests/labs/demo.yml::demo[debian-13]": 3.5}


def test_a_run_in_two_shards_or_in_none_is_named_and_nothing_is_written(two_releases):
    layout = two_releases
    _shard_file(layout, "1-of-2.json", fake_run(layout, release="debian-13"))
    _shard_file(layout, "2-of-2.json", fake_run(layout, release="debian-13"))
    with pytest.raises(MergeError) as raised:
        merge(layout)
    assert "demo on debian-13 was run by two shards: build/shards/1-of-2.json and build/shards/2-of-2.json" \
        in str(raised.value)
    assert "demo on debian-12 is in none of the 2 shard files" in str(raised.value)
    assert not layout.results.exists() and not layout.durations.exists()


def test_an_altered_shard_is_refused(two_releases):
    layout = two_releases
    _shard_file(layout, "1-of-2.json", fake_run(layout, release="debian-13"))
    path = _shard_file(layout, "2-of-2.json", fake_run(layout, release="debian-12"))
    path.write_text(path.read_text().replace('"duration": 3.5', '"duration": 1.0', 1))
    with pytest.raises(MergeError, match=r"2-of-2.json: demo on debian-12: Its lab's result does not match its "
                                         r"signature by the local key"):
        merge(layout)


def test_a_release_matrix_names_its_shard_files_apart_and_runs_the_harness_tests_once():
    jobs = [Shard.parse(f"{k}/3", release) for release in ("debian-13", "debian-12") for k in (1, 2, 3)]
    assert [job.name for job in jobs][:2] == ["debian-13-1-of-3", "debian-13-2-of-3"]
    assert len({job.name for job in jobs}) == 6
    assert [job for job in jobs if job.takes_other_tests("debian-13")] == [Shard(1, 3, "debian-13")]
