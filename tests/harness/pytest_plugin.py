"""Labs as ordinary pytest items: `tests/labs/<runbook>.yml` → one item, marked `lab`, named by the runbook.

So `pytest -m lab -k saslauthd` runs one runbook's lab, `pytest -m "not lab"` the unit tests, and -x, --lf,
-k and JUnit output work as for any test.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from .errors import SpecError
from .layout import Layout
from .podman import sweep
from .vm import sweep_vms
from .results import FAILED, LabResult, record
from .runner import LabRunner, StepFailure, now
from .spec import Lab, load_lab


class LabFailed(Exception):
    def __init__(self, failure: StepFailure):
        super().__init__(failure.report())
        self.failure = failure


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "lab: executes a runbook's snippets in containers (slow, needs podman)")
    # SIGTERM (CI cancelling a job, `timeout`) unwinds like Ctrl-C so every lab removes its containers.
    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)


def pytest_collect_file(parent: pytest.Collector, file_path: Path):
    if file_path.suffix == ".yml" and file_path.parent.name == "labs" and file_path.parent.parent.name == "tests":
        return LabFile.from_parent(parent, path=file_path)
    return None


class LabFile(pytest.File):
    def collect(self):
        layout = Layout.of(self.path.parent)
        try:
            lab = load_lab(self.path, layout.snippets)
        except SpecError as exc:
            raise self.CollectError(str(exc)) from None
        if lab.runnable:
            yield LabItem.from_parent(self, name=lab.name, lab=lab, layout=layout)


_swept = pytest.StashKey[bool]()


class LabItem(pytest.Item):
    def __init__(self, *, lab: Lab, layout: Layout, **kwargs):
        super().__init__(**kwargs)
        self.lab, self.layout = lab, layout
        self.add_marker(pytest.mark.lab)

    def runtest(self) -> None:
        if not self.config.stash.get(_swept, False):
            for leftover in [*sweep(), *sweep_vms()]:
                self._say(f"removed leftover {leftover} of an earlier, killed run")
            self.config.stash[_swept] = True
        runner = LabRunner(self.lab, self.layout, self._say)
        started, clock = now(), time.monotonic()
        try:
            result, failure = runner.run()
        except Exception:
            # The lab never reached a verdict: its snippets must not keep an older run's "verified".
            record(self.layout.results, LabResult(self.lab.name, self.lab.title, started,
                                                  round(time.monotonic() - clock, 2), FAILED))
            raise
        record(self.layout.results, result)
        if failure:
            raise LabFailed(failure)

    def _say(self, message: str) -> None:
        # Progress goes to the terminal as it happens, past pytest's output capture.
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        capture = self.config.pluginmanager.get_plugin("capturemanager")
        if reporter is None or capture is None:
            return
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"  {self.lab.name}: {message}")

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, LabFailed):
            return excinfo.value.failure.report()
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, 0, f"lab {self.lab.name}"
