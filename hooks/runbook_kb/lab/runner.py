"""Runs one lab: images, a private network, one container per host, the steps in order, then removal.

Removal happens on every path out (pass, failure, timeout, Ctrl-C, SIGTERM); what a SIGKILL leaves is
removed by the next run's sweep (podman.sweep), which knows it by its labels and its dead owner.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import shlex
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from . import images
from .hosts import ExecResult, Host, PodmanHost
from .vm import QemuHost, extract_vm_files
from ..includes import Include, pages_showing, scan_docs
from ..layout import Layout
from .matching import mismatch
from .placeholders import fill, names
from .podman import labels, owner_alive, owner_id, podman
from .releases import Release
from .results import FAILED, PASSED, HostEnv, LabResult, Run, StepResult
from ..snippets import read_snippet
from .spec import Lab, Step, step_texts

SNIPPET_DIR_ON_HOST = "/run/lab/snippets"


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


# How long systemd as PID 1 may take to bring a container's services up before the first step.
SYSTEMD_BOOT = 60


class LabRunner:
    def __init__(self, lab: Lab, release: Release, layout: Layout, progress: Callable[[str], None]):
        self.lab, self.release, self.layout, self.progress = lab, release, layout, progress
        self.steps = lab.steps_on(release.key)
        self.run_id = f"{lab.name}-{release.suite}-{secrets.token_hex(3)}"
        self.hosts: dict[str, Host] = {}
        self.network: str | None = None
        self.values: dict[str, str] = dict(lab.vars)  # placeholder values: fixed, then captured

    def run(self) -> tuple[LabResult, StepFailure | None]:
        started, clock = now(), time.monotonic()
        result = LabResult(self.lab.name, self.release.key, self.lab.title, started, 0.0, FAILED)
        failure = None
        self._sweep_partial_artifacts()
        try:
            tags = self._images()
            self._start(tags)
            result.hosts = {name: self._environment(name, tags[name]) for name in self.hosts}
            for step in self.steps:
                step_result, failure = self._step(step)
                result.steps.append(step_result)
                if failure:
                    break
            result.outcome = FAILED if failure else PASSED
        finally:
            result.duration = round(time.monotonic() - clock, 2)
            self._remove()
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

    def _images(self) -> dict[str, str]:
        """Host name → image tag, building what is missing."""
        layout = self.layout
        base_id = images.ensure_base(self.release, layout.locks, self.progress)
        # Named by the Containerfile, not the lab, so labs that share one (tests/labs/mariadb/…) build it once.
        built = {
            name: images.ensure_image(images.image_name(file, layout.labs), file, self.release, base_id, layout,
                                      self.progress)
            for name, file in self.lab.images.items()
        }
        return {host.name: built[host.image] for host in self.lab.hosts.values()}

    def _start(self, tags: dict[str, str]) -> None:
        for name, host in self.lab.hosts.items():
            if host.vm:
                vm = QemuHost(name, extract_vm_files(tags[name], self.layout.vm_files, self.layout.locks), host.vm)
                self.hosts[name] = vm
                self.progress(f"booting {name}: QEMU ({vm.accel}), disks {', '.join(host.vm.attach)}")
                vm.boot()
        if all(host.vm for host in self.lab.hosts.values()):
            return  # a VM has no network
        self.network = f"rblab-{self.run_id}"
        podman("network", "create", *labels(), self.network)
        for name, host in self.lab.hosts.items():
            if host.vm:
                continue
            container = f"rblab-{self.run_id}-{name}"
            mounts = [arg for source, target in host.mounts for arg in ("-v", f"{source}:{target}:ro")]
            aliases = [arg for alias in (name, *host.aliases) for arg in ("--network-alias", alias)]
            if host.init == "systemd":
                # systemd as PID 1, as on a reader's server: services are units, managed with systemctl.
                init, command = ["--systemd=always"], ["/sbin/init"]
            else:
                has_cmd = podman("image", "inspect", "--format", "{{json .Config.Cmd}}", tags[name]).strip()
                command = [] if has_cmd not in ("null", "[]", "") else ["sleep", "infinity"]
                # --init: a reaping PID 1, so daemons restarted by a step leave no zombies pgrep would count.
                init = ["--init"]
            podman("run", "-d", *init, "--name", container, "--hostname", name, "--network", self.network,
                   *aliases, *labels(), *mounts, tags[name], *command)
            self.hosts[name] = PodmanHost(name, container)
        for name, host in self.lab.hosts.items():
            if host.init == "systemd":
                self._await_systemd(name)

    def _await_systemd(self, name: str) -> None:
        """Until systemd has started every unit it was asked to (a step that restarts a service must not
        race the boot); a unit that failed to start is named, and the journal is shown."""
        # systemctl gives up at once if systemd has not yet made its private socket, which on a busy machine
        # comes after `podman run` has returned: wait for the socket, then for the boot.
        state = self.hosts[name].sh(
            f"timeout {SYSTEMD_BOOT} sh -c 'until [ -S /run/systemd/private ]; do sleep 0.1; done;"
            f" systemctl is-system-running --wait'", timeout=SYSTEMD_BOOT + 10).output.strip()
        if state == "running":
            return
        failed = self.hosts[name].sh("systemctl --failed --no-legend --plain", timeout=15).output.strip()
        journal = self.hosts[name].sh("journalctl -n 30 --no-pager", timeout=15).output.rstrip()
        raise RuntimeError(f"{self.lab.path.name}: host {name} on {self.release.name}: systemd is {state or 'not up'}"
                           f" after {SYSTEMD_BOOT} s; failed units: {failed or 'none'}\n--- journal (tail) ---\n"
                           f"{journal}")

    def _environment(self, name: str, tag: str) -> HostEnv:
        try:
            os_name, packages = self.hosts[name].environment(self.lab.hosts[name].packages)
        except RuntimeError as exc:
            raise RuntimeError(f"{self.lab.path}: {exc}") from None
        return HostEnv(tag, images.image_id(tag)[:12], os_name, packages)

    def _step(self, step: Step) -> tuple[StepResult, StepFailure | None]:
        host = self.hosts[step.host]
        total = len(self.steps)
        self.progress(f"[{step.index}/{total}] {step.kind} {step.name} on {step.host}")
        snippet = read_snippet(self.layout.snippets, step.snippet) if step.snippet else None
        used = {name: self.values[name] for text in step_texts(step, self.layout.snippets)
                for name in names(text) if name in self.values}

        def filled(text: str | None) -> str | None:
            return fill(text, self.values) if text is not None else None

        clock = time.monotonic()
        problems: list[str] = []
        command, output = filled(step.command) or "", ""
        if step.kind == "reboot":
            try:
                host.reboot(step.disks, step.boot_from_disk)
                self.progress(f"[{step.index}/{total}] booted in {host.boots[-1]:.1f} s")
            except RuntimeError as exc:
                problems.append(str(exc))
        elif step.kind in ("run", "install"):
            target = step.to or f"{SNIPPET_DIR_ON_HOST}/{step.snippet.path}"
            data = filled(snippet.text).encode()
            if step.kind == "run":
                command = fill(step.shell, self.values).format(file=shlex.quote(target))
                result = host.put_and_sh(data, target, "0755", command, timeout=step.timeout)
                output = result.output
                problems += self._verdict(result, step.status, filled(step.expect), step.timeout, "output")
            else:
                host.put(data, target, step.mode)
                command = f"install {step.snippet} as {target} (mode {step.mode})"
        elif step.kind in ("compare", "command"):
            expect = filled(snippet.text if snippet else step.expect)
            result, problems = self._poll(host, command, step, step.status, expect, "output",
                                          step.wait if not step.check else None)
            output = result.output
        if not problems:
            problems += self._capture(step, output)
        if not problems and step.check:
            check, problems = self._poll(host, filled(step.check), step, step.check_status,
                                         filled(step.check_expect), "check output", step.wait)
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
            if earlier.kind == "install" and earlier.index < step.index
        ]
        failure.logs = self._logs()
        return step_result, failure

    def _poll(self, host: Host, command: str, step: Step, status: int, expect: str | None, label: str,
              wait: float | None) -> tuple[ExecResult, list[str]]:
        """Run a verifying command; with `wait`, again every half second until it passes or time is up."""
        deadline = time.monotonic() + (wait or 0)
        while True:
            result = host.sh(command, timeout=step.timeout)
            problems = self._verdict(result, status, expect, step.timeout, label)
            if not problems or time.monotonic() >= deadline:
                if problems and wait:
                    problems.insert(0, f"still failing after waiting {wait:g} s")
                return result, problems
            time.sleep(0.5)

    def _capture(self, step: Step, output: str) -> list[str]:
        for name, pattern in step.capture:
            match = re.search(pattern, output, re.MULTILINE)
            if not match:
                return [f"capture <{name}>: /{pattern}/ matches nothing in the output"]
            self.values[name] = match.group(1)
        return []

    @staticmethod
    def _verdict(result: ExecResult, status: int, expect: str | None, timeout: float, label: str) -> list[str]:
        if result.timed_out:
            return [f"timed out after {timeout:g} s"]
        problems = []
        if result.status != status:
            problems.append(f"exit status {result.status}, expected {status}")
        if expect is not None and (diff := mismatch(expect, result.output, label)):
            problems.append(diff)
        return problems

    def _logs(self) -> dict[str, str]:
        tails = {}
        for name, spec in self.lab.hosts.items():
            for path in spec.logs:
                tails[f"{name}:{path}"] = self.hosts[name].tail(path, lines=15)
            if spec.init == "systemd":
                tails[f"{name}: journalctl"] = self.hosts[name].sh("journalctl -n 20 --no-pager 2>&1",
                                                                   timeout=15).output
        return tails

    def _remove(self) -> None:
        for host in self.hosts.values():
            host.remove()
        if self.network:
            podman("network", "rm", "-f", self.network, check=False)
