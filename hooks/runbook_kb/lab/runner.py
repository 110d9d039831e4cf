"""Runs one lab: images, a private network, one container per host, the steps in order, then removal.

Removal happens on every path out (pass, failure, timeout, Ctrl-C, SIGTERM); what a SIGKILL leaves is
removed by the next run's sweep (podman.sweep), which knows it by its labels and its dead owner.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from .hosts import Host
from ..includes import Include, pages_showing, scan_docs
from ..layout import Layout
from .placeholders import fill, names
from .podman import owner_alive, owner_id
from .releases import Release
from .provision import PodmanProvisioner, Provisioner
from .results import FAILED, PASSED, LabResult, Run, StepResult
from ..snippets import read_snippet, select
from .spec import Lab, Step, step_texts
from .steps import KINDS, Execution, poll

def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class StepFailure:
    lab: Lab
    release: Release
    step: Step
    command: str
    problems: list[str]
    output: str
    shown_at: list[Include] = field(default_factory=list)
    installed: list[tuple[Step, list[Include]]] = field(default_factory=list)  # earlier installs on this host
    values: dict[str, str] = field(default_factory=dict)  # placeholders filled in for this step
    logs: dict[str, str] = field(default_factory=dict)

    def report(self) -> str:
        step = self.step
        what = f"{step.kind} {step.snippet or step.command}"
        lines = [f"lab {self.lab.name} on {self.release.name}, step {step.index} ({self.lab.path.name}:{step.line}): "
                 f"{what} on {step.host}"]
        lines += [f"  snippet shown at docs/{inc.page}:{inc.line}" for inc in self.shown_at]
        for earlier, shown in self.installed:
            where = ", ".join(f"docs/{inc.page}:{inc.line}" for inc in shown) or "no page"
            lines.append(f"  after step {earlier.index} installed {earlier.snippet} as {earlier.to} on {earlier.host} "
                         f"(shown at {where})")
        if self.values:
            lines.append("  placeholders: " + ", ".join(f"<{k}> = {v}" for k, v in self.values.items()))
        lines += ["  command: " + self.command.replace("\n", "\n    "), ""]
        lines += self.problems
        if self.output and not any(p.startswith("---") for p in self.problems):
            lines += ["", "actual output:", self.output.rstrip()]
        for source, text in self.logs.items():
            lines += ["", f"--- {source} (tail) ---", text.rstrip()]
        return "\n".join(lines)


class LabRunner:
    def __init__(self, lab: Lab, release: Release, layout: Layout, progress: Callable[[str], None],
                 provisioner: Provisioner | None = None, texts: dict[str, str] | None = None,
                 timeouts: dict[int, float] | None = None):
        self.lab, self.release, self.layout, self.progress = lab, release, layout, progress
        self.texts = texts or {}  # snippet file → the whole text to run instead of the file's (a mutant)
        self.publishes = texts is None  # a mutation run's artifacts prove nothing a page may show
        # step index → a shorter timeout than the spec's: a mutant that hangs a step is caught without the wait
        self.steps = [replace(step, timeout=min(step.timeout, timeouts[step.index]))
                      if timeouts and step.index in timeouts else step for step in lab.steps_on(release.key)]
        self.run_id = f"{lab.name}-{release.suite}-{secrets.token_hex(3)}"
        self.provisioner = provisioner or PodmanProvisioner(lab, release, layout, self.run_id, progress, self.texts)
        self.hosts: dict[str, Host] = self.provisioner.hosts
        self.values: dict[str, str] = dict(lab.vars)  # placeholder values: fixed, then captured
        # step → what its command printed and the placeholder values then: what a compare step's changed
        # expectation would have been held against (mutation testing judges such mutants without a lab run)
        self.observed: dict[int, tuple[str, dict[str, str]]] = {}

    def run(self) -> tuple[LabResult, StepFailure | None]:
        started, clock = now(), time.monotonic()
        result = LabResult(self.lab.name, self.release.key, self.lab.title, started, 0.0, FAILED)
        failure = None
        self._sweep_partial_artifacts()
        try:
            self.provisioner.start()
            result.hosts = {name: self.provisioner.environment(name) for name in self.hosts}
            for step in self.steps:
                step_result, failure = self._step(step)
                result.steps.append(step_result)
                if failure:
                    break
            result.outcome = FAILED if failure else PASSED
        finally:
            result.duration = round(time.monotonic() - clock, 2)
            self.provisioner.remove()
            if not self.publishes:
                shutil.rmtree(self._partial_artifacts, ignore_errors=True)
            else:
                self._publish_artifacts()
        return result, failure

    @property
    def _partial_artifacts(self) -> Path:
        return self.layout.artifacts / f".{self.run_id}.{owner_id()}.partial"

    def _sweep_partial_artifacts(self) -> None:
        """What runs that were killed mid-way had copied out (their owner is in the folder's name)."""
        for folder in self.layout.artifacts.glob(".*.partial"):
            parts = folder.name.split(".")
            if len(parts) == 4 and not owner_alive(parts[2]):
                shutil.rmtree(folder, ignore_errors=True)

    def _publish_artifacts(self) -> None:
        """The artifacts of this run replace the last run's, as its results replace theirs: the two agree."""
        final = self.layout.run_artifacts(Run(self.lab.name, self.release.key))
        if not any(step.artifacts for step in self.steps) and not final.exists():
            return
        shutil.rmtree(final, ignore_errors=True)
        if self._partial_artifacts.exists():
            final.parent.mkdir(parents=True, exist_ok=True)
            self._partial_artifacts.rename(final)

    def _fetch_artifacts(self, step: Step) -> tuple[dict[str, str], list[str]]:
        self._partial_artifacts.mkdir(parents=True, exist_ok=True)
        made = {}
        for name, artifact in step.artifact_names.items():
            dest = self._partial_artifacts / name
            try:
                self.hosts[step.host].fetch(artifact, dest)
            except RuntimeError as exc:
                return made, [f"artifact {artifact} not made: {str(exc).strip().splitlines()[-1]}"]
            made[dest.name] = hashlib.sha256(dest.read_bytes()).hexdigest()
        return made, []

    def _snippet(self, step: Step):
        """The lines the step shows of its snippet: of the mutant, in a mutation run."""
        if not step.snippet:
            return None
        if step.snippet.path in self.texts:
            return select(step.snippet, self.texts[step.snippet.path])
        return read_snippet(self.layout.snippets, step.snippet)

    def _step(self, step: Step) -> tuple[StepResult, StepFailure | None]:
        host = self.hosts[step.host]
        total = len(self.lab.steps)  # a step's index counts the spec's steps, on every release
        self.progress(f"[{step.index}/{total}] {step.kind} {step.name} on {step.host}")
        snippet = self._snippet(step)
        used = dict(sorted({name: self.values[name] for text in step_texts(step, self.layout.snippets)
                            for name in names(text) if name in self.values}.items()))

        def filled(text: str | None) -> str | None:
            return fill(text, self.values) if text is not None else None

        clock = time.monotonic()
        command, output, problems = KINDS[step.kind].run(Execution(host, step, snippet, filled, self.progress, total))
        self.observed[step.index] = output, dict(self.values)
        if not problems:
            problems += self._capture(step, output)
        if not problems and step.check:
            check, problems = poll(host, filled(step.check), step, step.check_status, filled(step.check_expect),
                                   "check output", step.wait)
            output = check.output
            command += f"\n  check: {filled(step.check)}"
        artifacts: dict[str, str] = {}
        if not problems and step.artifacts:
            artifacts, problems = self._fetch_artifacts(step)
        duration = round(time.monotonic() - clock, 2)
        step_result = StepResult(
            step.index, step.kind, step.name, step.host, FAILED if problems else PASSED, duration, now(),
            snippet=step.snippet.path if snippet else None,
            first_line=snippet.first_line if snippet else None,
            last_line=snippet.last_line if snippet else None,
            sha256=snippet.sha256 if snippet else None,
            message=problems[0].splitlines()[0] if problems else None,
            values=used or None,
            artifacts=artifacts or None,
        )
        self.progress(f"[{step.index}/{total}] {'FAILED' if problems else 'ok'} ({duration:.1f} s)")
        if not problems:
            return step_result, None
        failure = StepFailure(self.lab, self.release, step, command, problems, output, values=used)
        index = scan_docs(self.layout.docs)  # once per failure: the pages are read for this report only
        if step.snippet:
            failure.shown_at = pages_showing(index, step.snippet.path)
        # A broken file a step installed shows only when a later step (maybe on another host) uses it.
        failure.installed = [
            (earlier, pages_showing(index, earlier.snippet.path))
            for earlier in self.steps
            if KINDS[earlier.kind].installs and earlier.index < step.index
        ]
        failure.logs = self._logs()
        return step_result, failure

    def _capture(self, step: Step, output: str) -> list[str]:
        for name, pattern in step.capture:
            match = re.search(pattern, output, re.MULTILINE)
            if not match:
                return [f"capture <{name}>: /{pattern}/ matches nothing in the output"]
            self.values[name] = match.group(1)
        return []

    def _logs(self) -> dict[str, str]:
        tails = {}
        for name, spec in self.lab.hosts.items():
            for path in spec.logs:
                tails[f"{name}:{path}"] = self.hosts[name].tail(path, lines=15)
            if spec.init == "systemd":
                tails[f"{name}: journalctl"] = self.hosts[name].sh("journalctl -n 20 --no-pager 2>&1",
                                                                   timeout=15).output
        return tails
