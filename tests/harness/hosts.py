"""Hosts a lab step runs on. One base class; one small subclass per transport (only podman today)."""

from __future__ import annotations

import shlex
from fnmatch import fnmatch
import subprocess
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from .podman import podman


@dataclass(frozen=True)
class ExecResult:
    status: int | None  # None: killed at the timeout
    output: str  # stdout and stderr interleaved, as a terminal would show them
    duration: float

    @property
    def timed_out(self) -> bool:
        return self.status is None


class Host(ABC):
    def __init__(self, name: str):
        self.name = name

    @abstractmethod
    def exec(self, argv: list[str], *, timeout: float, stdin: bytes | None = None) -> ExecResult: ...

    def sh(self, script: str, *, timeout: float, stdin: bytes | None = None) -> ExecResult:
        return self.exec(["sh", "-c", script], timeout=timeout, stdin=stdin)

    def put(self, data: bytes, path: str, mode: str = "0644", timeout: float = 30) -> None:
        result = self.sh(_write(path, mode), timeout=timeout, stdin=data)
        if result.status != 0:
            raise RuntimeError(f"{self.name}: cannot write {path}: {result.output.strip()}")

    def put_and_sh(self, data: bytes, path: str, mode: str, script: str, *, timeout: float) -> ExecResult:
        """Writes the file, then runs the script, in one round trip: a `podman exec` costs about 0.16 s, and
        two per step were a third of a lab's time. The script's stdin is at its end, as with `sh` alone; a
        file that cannot be written ends it with status 125 and the shell's message."""
        return self.sh(f"{_write(path, mode)} || exit 125\n{script}", timeout=timeout, stdin=data)

    def tail(self, path: str, lines: int = 30) -> str:
        result = self.sh(f"tail -n {lines} {shlex.quote(path)} 2>&1", timeout=15)
        return result.output

    @abstractmethod
    def fetch(self, path: str, dest: Path) -> None:
        """Copies a file out of the host, byte for byte."""

    def environment(self, packages: tuple[str, ...]) -> tuple[str, dict[str, str]]:
        """The system's name and the installed versions of `packages`, for the badges."""
        release = self.sh(". /etc/os-release && echo \"$NAME $(cat /etc/debian_version) ($VERSION_CODENAME)\"",
                          timeout=30).output.strip()
        versions: dict[str, str] = {}
        if packages:
            # A pattern (php*-cli) names a package whose name changes between releases (php8.2-cli, php8.4-cli);
            # dpkg-query also lists what matches but is not installed, without a version.
            query = self.exec(["dpkg-query", "-W", "-f", "${db:Status-Abbrev}${Package} ${Version}\\n", *packages],
                              timeout=30)
            installed = [line[3:].split(" ", 1) for line in query.output.splitlines() if line.startswith("ii ")]
            versions = dict(installed)
            missing = [p for p in packages if not any(fnmatch(name, p) for name in versions)]
            if query.status != 0 or missing:
                raise RuntimeError(f"host {self.name}: packages not installed: {', '.join(missing)} "
                                   f"({query.output.strip()})")
        return release.replace(" GNU/Linux", ""), versions


def _write(path: str, mode: str) -> str:
    quoted = shlex.quote(path)
    return f"mkdir -p \"$(dirname {quoted})\" && cat > {quoted} && chmod {mode} {quoted}"


class PodmanHost(Host):
    def __init__(self, name: str, container: str):
        super().__init__(name)
        self.container = container

    def exec(self, argv: list[str], *, timeout: float, stdin: bytes | None = None) -> ExecResult:
        started = time.monotonic()
        proc = subprocess.Popen(
            ["podman", "exec", "-i", self.container, *argv],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        try:
            out, _ = proc.communicate(stdin or b"", timeout=timeout)
            status: int | None = proc.returncode
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            # The command goes on inside the container until the lab removes it; that is the next thing done.
            status = None
        return ExecResult(status, out.decode(errors="replace"), time.monotonic() - started)

    def fetch(self, path: str, dest: Path) -> None:
        podman("cp", f"{self.container}:{path}", str(dest))

    def remove(self) -> None:
        podman("rm", "-f", "-t", "0", self.container, check=False)
