"""Hosts a lab step runs on. One base class; one small subclass per transport (only podman today)."""

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
# hundreds of them. Each request is a line with two byte counts,
# then the command (shell-quoted argv) and its stdin; the answer is a line with the exit status and the output's
# byte count, then the output. stdin and output are files, new for every command, so a daemon a step starts
# neither reads the requests nor writes into the next command's output.
AGENT = r"""d=/run/lab-exec.$$
mkdir -p "$d" || exit 125
echo "ready $d"
while IFS=' ' read -r n_cmd n_in; do
  rm -f "$d/cmd" "$d/in" "$d/out"
  head -c "$n_cmd" > "$d/cmd"
  head -c "$n_in" > "$d/in"
  sh "$d/cmd" < "$d/in" > "$d/out" 2>&1
  printf '%s %s\n' "$?" "$(wc -c < "$d/out")"
  cat "$d/out"
done
"""


class PodmanHost(Host):
    def __init__(self, name: str, container: str):
        super().__init__(name)
        self.container = container
        self._agent: subprocess.Popen | None = None
        self._buffer = b""
        self._workdir = ""  # the agent's directory in the container
        self._lock = threading.Lock()

    def exec(self, argv: list[str], *, timeout: float, stdin: bytes | None = None) -> ExecResult:
        started = time.monotonic()
        deadline = started + timeout
        command = ("exec " + shlex.join(argv) + "\n").encode()
        data = stdin or b""
        with self._lock:
            agent = self._agent or self._start_agent(deadline)
            if agent is None:  # the container does not answer (stopped, gone): what podman said
                return ExecResult(125, self._buffer.decode(errors="replace"), time.monotonic() - started)
            try:
                agent.stdin.write(f"{len(command)} {len(data)}\n".encode() + command + data)
                agent.stdin.flush()
                status, size = (int(field) for field in self._read_line(deadline).split())
                out = self._read_exact(size, deadline)
            except TimeoutError:
                # The command goes on inside the container until the lab removes it; that is the next thing done.
                partial = self._stop_agent(output_of=agent)
                return ExecResult(None, partial, time.monotonic() - started)
            except (OSError, ValueError, EOFError):
                said = self._buffer.decode(errors="replace")
                self._stop_agent()
                return ExecResult(125, said, time.monotonic() - started)
        return ExecResult(status, out.decode(errors="replace"), time.monotonic() - started)

    def _start_agent(self, deadline: float) -> subprocess.Popen | None:
        self._buffer = b""
        agent = subprocess.Popen(["podman", "exec", "-i", self.container, "sh", "-c", AGENT],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self._agent = agent
        said = b""
        try:
            line = self._read_line(deadline)
            word, _, workdir = line.decode(errors="replace").partition(" ")
            if word == "ready":
                self._workdir = workdir
                return agent
            said = line + b"\n"
            while True:  # the rest of what podman says, until it exits
                self._fill(deadline)
        except (TimeoutError, EOFError, OSError):
            pass
        said += self._buffer
        self._stop_agent()
        self._buffer = said
        return None

    def _stop_agent(self, output_of: subprocess.Popen | None = None) -> str:
        """Ends the agent; with output_of, first reads what the timed-out command has written so far."""
        partial = ""
        if output_of is not None:
            result = subprocess.run(["podman", "exec", self.container, "cat", f"{self._workdir}/out"],
                                    capture_output=True, timeout=30)
            partial = result.stdout.decode(errors="replace")
        if self._agent is not None:
            self._agent.kill()
            self._agent.wait()
            self._agent = None
        self._buffer = b""
        return partial

    def _read_line(self, deadline: float) -> bytes:
        while b"\n" not in self._buffer:
            self._fill(deadline)
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _read_exact(self, size: int, deadline: float) -> bytes:
        while len(self._buffer) < size:
            self._fill(deadline)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    def _fill(self, deadline: float) -> None:
        fd = self._agent.stdout.fileno()
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise TimeoutError
        chunk = os.read(fd, 65536)
        if not chunk:
            raise EOFError
        self._buffer += chunk

    def fetch(self, path: str, dest: Path) -> None:
        podman("cp", f"{self.container}:{path}", str(dest))

    def remove(self) -> None:
        with self._lock:
            self._stop_agent()
        podman("rm", "-f", "-t", "0", self.container, check=False)
