"""Hosts without podman, for the runner's own logic: each answers commands from a script of replies, keeps
the files written to it, and records what it was asked."""

from __future__ import annotations

import re
from pathlib import Path

from runbook_kb.lab.hosts import ExecResult, Host
from runbook_kb.lab.provision import Provisioner
from runbook_kb.lab.results import HostEnv


class FakeHost(Host):
    def __init__(self, name: str, replies: list[tuple[str, object]]):
        """replies: (regex, answer) in order of preference; an answer is (status, output), a list of them
        given in turn (the last repeats), or a callable of the host."""
        super().__init__(name)
        self.replies = replies
        self.files: dict[str, bytes] = {}
        self.commands: list[str] = []
        self.removed = False

    def exec(self, argv: list[str], *, timeout: float, stdin: bytes | None = None) -> ExecResult:
        script = argv[-1]
        written = re.match(r"mkdir -p \"\$\(dirname '?([^' ]+)'?\)\" && cat > ", script)
        if written:
            self.files[written[1]] = stdin or b""
            script = script.split("\n", 1)[1] if "\n" in script else ""
            if not script:
                return ExecResult(0, "", 0.0)
        self.commands.append(script)
        for pattern, answer in self.replies:
            if re.search(pattern, script):
                if callable(answer):
                    answer = answer(self)
                if isinstance(answer, list):
                    answer = answer.pop(0) if len(answer) > 1 else answer[0]
                status, output = answer
                return ExecResult(status, output, 0.0)
        return ExecResult(0, "", 0.0)

    def fetch(self, path: str, dest: Path) -> None:
        dest.write_bytes(self.files[path])

    def remove(self) -> None:
        self.removed = True


class FakeProvisioner(Provisioner):
    def __init__(self, hosts: dict[str, FakeHost], fail_after: int | None = None):
        super().__init__()
        self.ready, self.fail_after = hosts, fail_after

    def start(self):
        for n, (name, host) in enumerate(self.ready.items()):
            if self.fail_after is not None and n == self.fail_after:
                raise RuntimeError(f"host {name} did not start")
            self.hosts[name] = host
        return self.hosts

    def environment(self, name: str) -> HostEnv:
        return HostEnv("localhost/fake:0", "0" * 12, "Debian GNU/Linux 13.8 (trixie)", {"bash": "5.2"})
