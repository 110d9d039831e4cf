"""Labs as ordinary pytest items: `tests/labs/<runbook>.yml` → one item per release it runs on, marked `lab`,
named by the runbook and the release: `saslauthd[debian-13]`.

So `pytest -m lab -k saslauthd` runs one runbook's lab on every release, `-k "saslauthd and debian-13"` on one,
`pytest -m "not lab"` the unit tests, and -x, --lf, -k, -n (pytest-xdist) and JUnit output work as for any test.

`--labs=changed` keeps the result of every run whose last result passed on the very inputs it has now
(runbook_kb.lab.inputs) and runs the others; each kept run is named in the summary. The runs are ordered longest
first by their last duration, paired so that xdist's workers finish close together.
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest

from ..errors import SpecError
from .inputs import lab_inputs
from ..layout import Layout
from .podman import sweep
from .preflight import Preflight, PreflightFailed
from .releases import Release, load_releases
from .results import FAILED, LabResult, Run, load_results, record
from .runner import LabRunner, StepFailure, now
from .shards import Shard, load_durations, plan
from .signing import signer
from .spec import Lab, load_lab, load_labs
from .trust import standing
from .vm import sweep_vms

# What one lab may take at once (the topologies lab runs four MariaDB servers, the RAID lab a 256 MiB VM).
MEMORY_PER_WORKER = 3 << 30


class LabFailed(Exception):
    def __init__(self, failure: StepFailure):
        super().__init__(failure.report())
        self.failure = failure


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--labs", choices=("all", "changed"), default="all",
                     help="changed: keep the passing results of labs whose inputs are unchanged")
    parser.addoption("--shard", default=None, metavar="K/N",
                     help="run shard K of N of the lab items, balanced by tests/labs/durations.json; its results "
                          "go to build/shards/K-of-N.json")
    parser.addoption("--shard-release", default=None, metavar="KEY",
                     help="with --shard: split this release's lab items only (build/shards/KEY-K-of-N.json)")


_kept = pytest.StashKey[dict]()
_shard = pytest.StashKey[Shard]()


def results_path(config: pytest.Config, layout: Layout) -> Path:
    """Where this run records its results: the site's file, or its shard's."""
    shard = config.stash.get(_shard, None)
    return layout.shards / f"{shard.name}.json" if shard else layout.results


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "lab: executes a runbook's snippets in containers (slow, needs podman)")
    if config.getoption("shard"):
        try:
            config.stash[_shard] = Shard.parse(config.getoption("shard"), config.getoption("shard_release"))
        except ValueError as exc:
            raise pytest.UsageError(str(exc)) from None
        known = [release.key for release in load_releases(Layout.of(config.rootpath).releases)]
        if config.stash[_shard].release not in (None, *known):
            raise pytest.UsageError(f"--shard-release {config.stash[_shard].release}: not a release in "
                                    f"tests/releases.yml ({', '.join(known)})")
    # Decided once, before any lab runs: by the end of the run the labs that ran stand as well.
    if config.getoption("labs") == "changed":
        layout = Layout.of(config.rootpath)
        try:
            labs = [lab for lab in load_labs(layout.labs, layout.snippets) if lab.runnable]
            config.stash[_kept] = standing(load_results(layout.results), labs, layout)
        except SpecError as exc:
            raise pytest.UsageError(str(exc)) from None
    # SIGTERM (CI cancelling a job, `timeout`) unwinds like Ctrl-C so every lab removes its containers.
    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)


_preflight_done = pytest.StashKey[bool]()
_LAB_ID = re.compile(r"(^|/)tests/labs/[^/]+\.yml::")


def _preflight(config: pytest.Config) -> None:
    """Once per run, before the first lab: a missing piece stops the run with one message, not a failure
    per lab."""
    if config.stash.get(_preflight_done, False):
        return
    config.stash[_preflight_done] = True
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    say = reporter.write_line if reporter else print
    try:
        took = Preflight(Layout.of(config.rootpath), lambda message: say(f"preflight: {message}")).run()
    except PreflightFailed as exc:
        pytest.exit(str(exc), returncode=pytest.ExitCode.USAGE_ERROR)
    say(f"preflight: podman, lab networks, image builds, QEMU and Chromium under Playwright work ({took:.1f} s)")


@pytest.hookimpl(trylast=True)  # after deselection: a run whose labs are all kept needs no preflight
def pytest_collection_finish(session: pytest.Session) -> None:
    # Under xdist the workers collect, and the controller checks once, below.
    if not hasattr(session.config, "workerinput") and any(isinstance(item, LabItem) for item in session.items):
        _preflight(session.config)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids: list[str]) -> None:
    if any(_LAB_ID.search(test_id) for test_id in ids):
        _preflight(node.config)


def pytest_collect_file(parent: pytest.Collector, file_path: Path):
    if file_path.suffix == ".yml" and file_path.parent.name == "labs" and file_path.parent.parent.name == "tests":
        return LabFile.from_parent(parent, path=file_path)
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if (shard := config.stash.get(_shard, None)) is not None:
        _keep_shard(config, items, shard)
    kept = config.stash.get(_kept, {})
    deselected = [item for item in items if isinstance(item, LabItem) and item.run in kept]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    labs = [item for item in items if isinstance(item, LabItem) and item.run not in kept]
    others = [item for item in items if not isinstance(item, LabItem)]
    items[:] = (_longest_first(labs, config, len(labs) + len(others)) if labs else []) + others


def _keep_shard(config: pytest.Config, items: list[pytest.Item], shard: Shard) -> None:
    """Only this shard's lab items, which every job computes alike from the same durations; the other tests
    (the harness's own, which need podman) run in one shard of all."""
    layout = Layout.of(config.rootpath)
    labs = [item for item in items if isinstance(item, LabItem) and shard.release in (None, item.release.key)]
    split = plan([item.nodeid for item in labs], load_durations(layout.durations), shard.count) if labs else []
    mine = set(split[shard.index - 1][0]) if split else set()
    others = shard.takes_other_tests(load_releases(layout.releases)[0].key)
    ours = [item.nodeid in mine if isinstance(item, LabItem) else others for item in items]
    config.hook.pytest_deselected(items=[item for item, kept in zip(items, ours) if not kept])
    items[:] = [item for item, kept in zip(items, ours) if kept]


def _longest_first(labs: list[LabItem], config: pytest.Config, items: int) -> list[LabItem]:
    try:
        durations = {run: lab.duration for run, lab in load_results(labs[0].layout.results).items()}
    except SpecError as exc:
        raise pytest.UsageError(str(exc)) from None
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    by_run = {item.run: item for item in labs}
    return [by_run[run] for run in schedule(list(by_run), durations, workers, items)]


def schedule(names: list, durations: dict, workers: int, items: int | None = None) -> list:
    """Longest first by the last run (a lab never run counts as longest), in the order xdist's first
    distribution of `items` tests (these names first) needs. Under two per worker it deals them one at a
    time, round the workers: the longest goes last of the first round, alone, and the rest pair up from the
    middle. Otherwise each worker starts with the next two (more only past a dozen each), then takes one
    whenever it finishes one: the first 2n are paired longest with shortest."""
    ordered = sorted(names, key=lambda name: -durations.get(name, float("inf")))
    if (len(names) if items is None else items) < 2 * workers:
        return ordered[:workers][::-1] + ordered[workers:]
    head, tail = ordered[: 2 * workers], ordered[2 * workers :]
    paired = [name for k in range(len(head) // 2) for name in (head[k], head[len(head) - 1 - k])]
    middle = head[len(head) // 2 : len(head) // 2 + len(head) % 2]  # an odd head's unpaired name
    return paired + middle + tail


@pytest.hookimpl(tryfirst=True)  # before xdist's own answer, the number of cores
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker more than there are cores, as far as the available memory carries them. Labs
    mostly wait (for services to start, timeouts to expire, a stalled server), so one spare worker keeps the
    cores busy; more starve the labs that measure time (a browser's first paint, a replica catching up)."""
    with open("/proc/meminfo") as meminfo:
        available = next(int(line.split()[1]) << 10 for line in meminfo if line.startswith("MemAvailable:"))
    return max(1, min((os.cpu_count() or 1) + 1, available // MEMORY_PER_WORKER))


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    kept = config.stash.get(_kept, {})
    if not kept or hasattr(config, "workerinput"):
        return
    terminalreporter.section("labs kept (inputs unchanged since they passed; LABS=all runs them)")
    for run, result in sorted(kept.items()):
        terminalreporter.write_line(f"{run}: passed {result.started[:16].replace('T', ' ')} UTC "
                                    f"in {result.duration:.0f} s")


class LabFile(pytest.File):
    def collect(self):
        layout = Layout.of(self.path.parent)
        try:
            lab = load_lab(self.path, layout.snippets)
        except SpecError as exc:
            raise self.CollectError(str(exc)) from None
        if lab.runnable:
            for release in lab.releases:
                yield LabItem.from_parent(self, name=f"{lab.name}[{release.key}]", lab=lab, release=release,
                                          layout=layout)


_swept = pytest.StashKey[bool]()
_signer_key = pytest.StashKey[object]()


class LabItem(pytest.Item):
    def __init__(self, *, lab: Lab, release: Release, layout: Layout, **kwargs):
        super().__init__(**kwargs)
        self.lab, self.release, self.layout = lab, release, layout
        self.run = Run(lab.name, release.key)
        self.add_marker(pytest.mark.lab)

    def runtest(self) -> None:
        if not self.config.stash.get(_swept, False):
            for leftover in [*sweep(), *sweep_vms()]:
                self._say(f"removed leftover {leftover} of an earlier, killed run")
            self.config.stash[_swept] = True
        sign = self._signer()
        runner = LabRunner(self.lab, self.release, self.layout, self._say)
        # Taken before the run: a file edited while the lab runs makes the next `--labs=changed` run it again.
        inputs = lab_inputs(self.lab, self.layout, self.release)
        started, clock = now(), time.monotonic()
        try:
            result, failure = runner.run()
        except Exception:
            # The lab never reached a verdict: its snippets must not keep an older run's "verified".
            record(results_path(self.config, self.layout), LabResult(self.lab.name, self.release.key, self.lab.title,
                                                                     started, round(time.monotonic() - clock, 2),
                                                                     FAILED), sign)
            raise
        result.inputs = inputs
        record(results_path(self.config, self.layout), result, sign)
        if failure:
            raise LabFailed(failure)

    def _signer(self):
        """Once per process: CI's key from the environment, or this machine's."""
        if _signer_key not in self.config.stash:
            try:
                self.config.stash[_signer_key] = signer(self.layout)
            except SpecError as exc:
                pytest.exit(str(exc), returncode=pytest.ExitCode.USAGE_ERROR)
        return self.config.stash[_signer_key]

    def _say(self, message: str) -> None:
        # Progress goes to the terminal as it happens, past pytest's output capture.
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        capture = self.config.pluginmanager.get_plugin("capturemanager")
        if reporter is None or capture is None:
            return
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"  {self.name}: {message}")

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, LabFailed):
            return excinfo.value.failure.report()
        if isinstance(excinfo.value, RuntimeError):
            # What the machine said (an image build, a host that did not come up): its own words, no traceback.
            return f"lab {self.lab.name} on {self.release.name}: {excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, 0, f"lab {self.lab.name} on {self.release.name}"
