"""The kinds of lab step, one class each: what a spec may say for it (parse), what it does on a host (run),
and what it makes of the snippet it covers. KINDS is the one registry the spec reader, the runner and the
badges ask; a new kind is one class here."""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from ..errors import SpecError
from . import specfields as fields
from .hosts import ExecResult, Host
from .matching import mismatch

if TYPE_CHECKING:
    from ..snippets import SnippetText
    from ..yamlfile import Located
    from .hostspec import HostSpec
    from .spec import Step

SNIPPET_DIR_ON_HOST = "/run/lab/snippets"


@dataclass(frozen=True)
class Parsing:
    """One step of a spec, as a kind reads its own keys from it."""

    path: Path
    index: int
    raw: Located
    host: str
    spec: HostSpec
    snippets_dir: Path


@dataclass(frozen=True)
class Execution:
    """One step being run: its host, its snippet and how placeholders are filled in."""

    host: Host
    step: Step
    snippet: SnippetText | None
    fill: Callable[[str | None], str | None]
    progress: Callable[[str], None]
    total: int  # the lab's steps on this release, for progress lines


class Kind:
    name: ClassVar[str]
    keys: ClassVar[frozenset[str]] = frozenset()  # spec keys no other kind takes
    shows_output: ClassVar[bool] = False  # its snippet shows output a lab compared: illustrative, not verified
    executes_snippet: ClassVar[bool] = False  # its snippet runs as a program (its placeholders must be filled)
    polls_itself: ClassVar[bool] = False  # `wait` may poll the step's own command, with no check
    installs: ClassVar[bool] = False  # later steps use what it puts on the host (failure reports name it)

    def parse(self, p: Parsing) -> dict:
        """The Step fields this kind sets from its keys."""
        return {"snippet": fields.snippet(p.path, p.raw, self.name, p.snippets_dir)}

    def run(self, e: Execution) -> tuple[str, str, list[str]]:
        """The command as it ran, its output, and what went wrong (nothing: it passed)."""
        raise NotImplementedError


class RunSnippet(Kind):
    name = "run"
    executes_snippet = True

    def run(self, e: Execution) -> tuple[str, str, list[str]]:
        step = e.step
        target = f"{SNIPPET_DIR_ON_HOST}/{step.snippet.path}"
        command = e.fill(step.shell).format(file=shlex.quote(target))
        result = e.host.put_and_sh(e.fill(e.snippet.text).encode(), target, "0755", command, timeout=step.timeout)
        return command, result.output, verdict(result, step.status, e.fill(step.expect), step.timeout, "output")


class Install(Kind):
    name = "install"
    keys = frozenset({"to", "mode"})
    installs = True

    def parse(self, p: Parsing) -> dict:
        return {**super().parse(p), "to": fields.text(p.path, p.raw, "to", required=f"an install step needs `to:` "
                                                                                    f"(the path on {p.host})"),
                "mode": str(p.raw.get("mode", "0644"))}

    def run(self, e: Execution) -> tuple[str, str, list[str]]:
        step = e.step
        e.host.put(e.fill(e.snippet.text).encode(), step.to, step.mode)
        return f"install {step.snippet} as {step.to} (mode {step.mode})", "", []


class Compare(Kind):
    name = "compare"
    keys = frozenset({"against"})
    shows_output = True
    polls_itself = True

    def parse(self, p: Parsing) -> dict:
        if "expect" in p.raw:
            raise SpecError(p.path, p.raw.line_of("expect"), "a compare step's expectation is its snippet")
        return {**super().parse(p),
                "command": fields.command(p.path, p.raw, "against", required="a compare step needs `against:` (a command)")}

    def run(self, e: Execution) -> tuple[str, str, list[str]]:
        return _own_command(e, e.fill(e.snippet.text))


class Command(Kind):
    name = "command"
    polls_itself = True

    def parse(self, p: Parsing) -> dict:
        return {"command": fields.command(p.path, p.raw, "command")}

    def run(self, e: Execution) -> tuple[str, str, list[str]]:
        return _own_command(e, e.fill(e.step.expect))


class Reboot(Kind):
    name = "reboot"
    keys = frozenset({"boot"})

    def parse(self, p: Parsing) -> dict:
        raw = p.raw
        if not p.spec.vm:
            raise SpecError(p.path, raw.line_of("reboot"), f"step {p.index}: reboot is for a vm host, {p.host} is "
                                                           "a container")
        disks, known = fields.strings(p.path, raw, "reboot"), dict(p.spec.vm.disks)
        if not disks or any(disk not in known for disk in disks):
            raise SpecError(p.path, raw.line_of("reboot"), f"reboot: list the disks to boot with, from "
                                                           f"{', '.join(known)}")
        if raw.get("boot", "kernel") not in ("kernel", "disk"):
            raise SpecError(p.path, raw.line_of("boot"), "boot: kernel (QEMU loads it) or disk (the boot loader)")
        through_disk = raw.get("boot") == "disk"
        return {"disks": disks, "boot_from_disk": through_disk,
                "command": f"power off, boot with {', '.join(disks)}" + (" through the boot loader" if through_disk else "")}

    def run(self, e: Execution) -> tuple[str, str, list[str]]:
        step = e.step
        try:
            e.host.reboot(step.disks, step.boot_from_disk)
        except RuntimeError as exc:
            return step.command, "", [str(exc)]
        e.progress(f"[{step.index}/{e.total}] booted in {e.host.boots[-1]:.1f} s")
        return step.command, "", []


KINDS: dict[str, Kind] = {kind.name: kind for kind in (RunSnippet(), Install(), Compare(), Command(), Reboot())}
OWNED_KEYS = {key: kind.name for kind in KINDS.values() for key in kind.keys}


def _own_command(e: Execution, expect: str | None) -> tuple[str, str, list[str]]:
    """A step whose command is its own (a compare's `against:`, a command step's): with `wait` and no check,
    that command is what is polled."""
    step = e.step
    command = e.fill(step.command)
    result, problems = poll(e.host, command, step, step.status, expect, "output", step.wait if not step.check else None)
    return command, result.output, problems


def poll(host: Host, command: str, step: Step, status: int, expect: str | None, label: str,
         wait: float | None) -> tuple[ExecResult, list[str]]:
    """Run a verifying command; with `wait`, again every half second until it passes or time is up."""
    deadline = time.monotonic() + (wait or 0)
    while True:
        result = host.sh(command, timeout=step.timeout)
        problems = verdict(result, status, expect, step.timeout, label)
        if not problems or time.monotonic() >= deadline:
            if problems and wait:
                problems.insert(0, f"still failing after waiting {wait:g} s")
            return result, problems
        time.sleep(0.5)


def verdict(result: ExecResult, status: int, expect: str | None, timeout: float, label: str) -> list[str]:
    if result.timed_out:
        return [f"timed out after {timeout:g} s"]
    problems = []
    if result.status != status:
        problems.append(f"exit status {result.status}, expected {status}")
    if expect is not None and (diff := mismatch(expect, result.output, label)):
        problems.append(diff)
    return problems
