"""The podman command line, and the labels that let every run find and remove what labs leave behind."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

LABEL = "runbook-lab"
OWNER_LABEL = "runbook-lab.owner"


class PodmanError(RuntimeError):
    pass


def podman(*args: str, input: bytes | None = None, timeout: float | None = 300, check: bool = True) -> str:
    proc = subprocess.run(
        ["podman", *args], input=input, capture_output=True, timeout=timeout, check=False
    )
    if check and proc.returncode != 0:
        raise PodmanError(f"podman {' '.join(args[:3])}…: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout.decode(errors="replace")


def _start_time(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 22 (start time) follows the parenthesised command name, which may itself hold spaces.
    return stat.rsplit(")", 1)[1].split()[19]


def owner_id() -> str:
    """This process, as pid plus start time, so a recycled pid is not mistaken for a live owner."""
    return f"{os.getpid()}-{_start_time(os.getpid())}"


def owner_alive(owner: str) -> bool:
    pid, _, started = owner.partition("-")
    return pid.isdigit() and _start_time(int(pid)) == started


def labels() -> list[str]:
    return ["--label", f"{LABEL}=1", "--label", f"{OWNER_LABEL}={owner_id()}"]


def _labelled(kind: str) -> list[tuple[str, str]]:
    """(name, owner) of every labelled container, network or volume."""
    listing = {
        "container": ["ps", "-a", "--format", "json"],
        "network": ["network", "ls", "--format", "json"],
        "volume": ["volume", "ls", "--format", "json"],
    }[kind]
    rows = json.loads(podman(*listing, "--filter", f"label={LABEL}") or "[]")
    found = []
    for row in rows:
        # Containers and volumes answer in CamelCase, networks in lower case.
        row = {key.lower(): value for key, value in row.items()}
        row_labels = row.get("labels") or {}
        name = row.get("names") or row.get("name")
        found.append((name[0] if isinstance(name, list) else name, row_labels.get(OWNER_LABEL, "")))
    return found


def sweep(only_dead_owners: bool = True) -> list[str]:
    """Remove labelled containers, then networks and volumes, whose owner process is gone."""
    removed = []
    for kind, remove in (
        ("container", ["rm", "-f", "-t", "0"]),
        ("network", ["network", "rm", "-f"]),
        ("volume", ["volume", "rm", "-f"]),
    ):
        for name, owner in _labelled(kind):
            if only_dead_owners and owner_alive(owner):
                continue
            podman(*remove, name, check=False)
            removed.append(f"{kind} {name}")
    return removed
