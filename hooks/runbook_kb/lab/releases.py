"""The releases labs run on (`tests/releases.yml`): one site-wide list, the release readers run first.

A release is a recipe: a name readers know, the suite mmdebstrap builds the base image from, and the Python
and C library its images' wheels are chosen for. Another distribution is one more entry and its recipe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import SpecError
from ..yamlfile import Located, load_yaml

_KEYS = {"name", "suite", "mmdebstrap", "python", "glibc"}
_KEY = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class Release:
    key: str  # how specs, results and pytest items name it: debian-13
    name: str  # how pages name it: Debian 13
    suite: str  # mmdebstrap's suite: trixie
    mmdebstrap: tuple[str, ...]
    python: str  # "3.13": the CPython of the base image
    glibc: str  # "2.41"

    @property
    def base_image(self) -> str:
        return f"localhost/runbook-base:{self.suite}"

    @property
    def recipe(self) -> str:
        """Everything the base image is made from, for its cache key and every lab's inputs."""
        return " ".join((self.key, self.suite, *self.mmdebstrap, self.python, self.glibc))


def load_releases(path: Path) -> tuple[Release, ...]:
    stat = path.stat()
    return _load(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int, size: int) -> tuple[Release, ...]:
    data = load_yaml(path)
    releases = []
    for key, raw in data.items():
        line = data.line_of(key)
        if not _KEY.fullmatch(str(key)):
            raise SpecError(path, line, f"release {key!r}: a name in lower case, digits and dashes (debian-13)")
        if not isinstance(raw, Located):
            raise SpecError(path, line, f"release {key!r} must be a mapping ({', '.join(sorted(_KEYS))})")
        unknown = sorted(set(raw) - _KEYS)
        if unknown:
            raise SpecError(path, raw.line_of(unknown[0]), f"unknown release key {unknown[0]!r}")
        missing = sorted(_KEYS - set(raw))
        if missing:
            raise SpecError(path, line, f"release {key!r} needs {', '.join(missing)}")
        options = raw["mmdebstrap"]
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
            raise SpecError(path, raw.line_of("mmdebstrap"), "mmdebstrap: a list of options")
        for field in ("python", "glibc"):
            if not re.fullmatch(r"\d+\.\d+", str(raw[field])):
                raise SpecError(path, raw.line_of(field), f"{field}: a version such as 3.13, in quotes")
        releases.append(Release(str(key), str(raw["name"]), str(raw["suite"]), tuple(options), str(raw["python"]),
                                str(raw["glibc"])))
    if not releases:
        raise SpecError(path, None, "no release listed: labs need at least one")
    return tuple(releases)
