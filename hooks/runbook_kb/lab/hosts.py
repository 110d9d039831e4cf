"""Hosts a lab step runs on. One base class; a subclass per transport: podman here, QEMU in vm.py."""

from __future__ import annotations

import os
import select
import shlex
import threading
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
        self.boots: list[float] = []  # seconds each boot took, for progress lines (a container has none)

    @abstractmethod
    def exec(self, argv: list[str], *, timeout: float, stdin: bytes | None = None) -> ExecResult: ...

    def sh(self, script: str, *, timeout: float, stdin: bytes | None = None) -> ExecResult:
        return self.exec(["sh", "-c", script], timeout=timeout, stdin=stdin)

    def put(self, data: bytes, path: str, mode: str = "0644", timeout: float = 30) -> None:
        result = self.sh(_write(path, mode), timeout=timeout, stdin=data)
        if result.status != 0:
            raise RuntimeError(f"{self.name}: cannot write {path}: {result.output.strip()}")

    def put_and_sh(self, data: bytes, path: str, mode: str, script: str, *, timeout: float) -> ExecResult:
        """Writes the file, then runs the script, in one round trip. The script's stdin is at its end, as with
        `sh` alone; a file that cannot be written ends it with status 125 and the shell's message."""
        return self.sh(f"{_write(path, mode)} || exit 125\n{script}", timeout=timeout, stdin=data)

    def tail(self, path: str, lines: int = 30) -> str:
        result = self.sh(f"tail -n {lines} {shlex.quote(path)} 2>&1", timeout=15)
        return result.output

    @abstractmethod
    def fetch(self, path: str, dest: Path) -> None:
        """Copies a file out of the host, byte for byte."""

    @abstractmethod
    def remove(self) -> None:
        """Stops the host and removes what it was made of; safe to call twice."""

    def reboot(self, disks: tuple[str, ...], boot_from_disk: bool = False) -> None:
        """Power off and boot again with these disks: a machine's, which a container is not."""
        raise RuntimeError(f"{self.name} is a container: only a VM host reboots")

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


# One long-lived `podman exec` per host runs the steps' commands in turn: starting a `podman exec` costs far more
# than most commands it runs (runc's exec; crun, quicker, refuses these hosts' hybrid cgroups), and a lab runs
# hundreds of them. Each request is a line with two byte counts, then the command (shell-quoted argv) and its
# stdin; the answer is a line with the exit status and the output's byte count, then the output. As under a
# `podman exec` of its own, the command's stdout and stderr are one pipe, read to its end (a daemon that keeps
# it open holds the step up to its timeout), and stdin is given bytes, then end of file: a file, so nothing a
# step starts reads the requests. Its own session keeps `kill 0` away from the agent; the output is also kept
# in a file, for what a command that timed out had written.
AGENT = r"""d=$(mktemp -d /run/lab-exec.XXXXXX) || exit 125
trap 'rm -rf "$d"' EXIT
echo "ready $d"
while IFS=' ' read -r n_cmd n_in; do
  rm -f "$d/cmd" "$d/in" "$d/out" "$d/status"
  head -c "$n_cmd" > "$d/cmd" && head -c "$n_in" > "$d/in" || exit 125
  { setsid sh "$d/cmd" < "$d/in"; echo "$?" > "$d/status"; } 2>&1 | cat > "$d/out"
  size=$(wc -c < "$d/out")
  printf '%s %s\n' "$(cat "$d/status")" "$size"
  head -c "$size" "$d/out"
done
"""


class PodmanHost(Host):
    def __init__(self, name: str, container: str):
        super().__init__(name)
        self.container = container
        self._agent: subprocess.Popen | None = None
        self._buffer = bytearray()
        self._workdir = ""  # the agent's directory in the container
        self._lock = threading.Lock()

    def exec(self, argv: list[str], *, timeout: float, stdin: bytes | None = None) -> ExecResult:
        started = time.monotonic()
        deadline = started + timeout
        command = ("exec " + shlex.join(argv) + "\n").encode()
        request = f"{len(command)} {len(stdin or b'')}\n".encode() + command + (stdin or b"")
        with self._lock:
            for attempt in (1, 2):
                if self._agent is not None and (self._agent.poll() is not None or self._buffer):
                    self._stop_agent()  # gone, or out of step: a new one
                if self._agent is None:
                    said, timed_out = self._start_agent(deadline)
                    if said is not None:  # the container does not answer (stopped, gone): what podman said
                        return ExecResult(None if timed_out else 125, said, time.monotonic() - started)
                try:
                    self._agent.stdin.write(request)
                    self._agent.stdin.flush()
                    break
                except OSError:  # the agent ended after its last answer: nothing of this command ran yet
                    self._stop_agent()
                    if attempt == 2:
                        return ExecResult(125, "lab host's command channel closed", time.monotonic() - started)
            try:
                status, size = (int(field) for field in self._read_line(deadline).split())
                out = self._read_exact(size, deadline)
            except TimeoutError:
                # The command goes on inside the container until the lab removes it; that is the next thing done.
                return ExecResult(None, self._stop_agent(partial=True), time.monotonic() - started)
            except (OSError, ValueError, EOFError):
                said = bytes(self._buffer).decode(errors="replace")
                return ExecResult(125, said + self._stop_agent(partial=True), time.monotonic() - started)
        return ExecResult(status, out.decode(errors="replace"), time.monotonic() - started)

    def _start_agent(self, deadline: float) -> tuple[str | None, bool]:
        """(None, False) once the agent is ready; otherwise what podman said, and whether time ran out."""
        self._buffer = bytearray()
        self._agent = subprocess.Popen(["podman", "exec", "-i", self.container, "sh", "-c", AGENT],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        said = b""
        timed_out = False
        try:
            while True:  # podman may warn before the agent's first line
                line = self._read_line(deadline)
                word, _, workdir = line.decode(errors="replace").partition(" ")
                if word == "ready":
                    self._workdir = workdir
                    return None, False
                said += line + b"\n"
        except TimeoutError:
            timed_out = True
        except (EOFError, OSError):
            pass
        said += bytes(self._buffer)
        self._stop_agent()
        return said.decode(errors="replace"), timed_out

    def _stop_agent(self, partial: bool = False) -> str:
        """Ends the agent; with partial, first reads what the last command has written so far."""
        written = ""
        try:
            if partial and self._workdir:
                written = podman("exec", self.container, "cat", f"{self._workdir}/out", timeout=30, check=False)
        except subprocess.TimeoutExpired:
            pass
        finally:
            if self._agent is not None:
                self._agent.kill()
                self._agent.wait()
                self._agent = None
            self._buffer = bytearray()
        return written

    def _read_line(self, deadline: float) -> bytes:
        while (end := self._buffer.find(b"\n")) < 0:
            self._fill(deadline)
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        return line

    def _read_exact(self, size: int, deadline: float) -> bytes:
        while len(self._buffer) < size:
            self._fill(deadline)
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out

    def _fill(self, deadline: float) -> None:
        fd = self._agent.stdout.fileno()
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise TimeoutError
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise EOFError
        self._buffer += chunk

    def fetch(self, path: str, dest: Path) -> None:
        podman("cp", f"{self.container}:{path}", str(dest))

    def remove(self) -> None:
        with self._lock:
            self._stop_agent()
        podman("rm", "-f", "-t", "0", self.container, check=False)
