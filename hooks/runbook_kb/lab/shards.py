"""Shards: a deterministic share of the lab × release items for one CI job of N, balanced by the durations
the labs last took (tests/labs/durations.json, which merging the shards' results refreshes).

The split is pytest-split's least-duration algorithm, given the same items and durations on every job: the
longest item goes to the least loaded shard, ties broken by name, so every item lands in exactly one shard
for any N. An item never run counts as the average.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from pytest_split.algorithms import LeastDurationAlgorithm

_SHARD = re.compile(r"([1-9]\d*)/([1-9]\d*)")


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int
    release: str | None = None  # a CI matrix's release: the shards split that release's items only

    @classmethod
    def parse(cls, text: str, release: str | None = None) -> Shard:
        match = _SHARD.fullmatch(text.strip())
        if not match or int(match[1]) > int(match[2]):
            raise ValueError(f"SHARD={text!r}: write K/N, a shard K of N, 1 <= K <= N (e.g. 2/5)")
        return cls(int(match[1]), int(match[2]), release)

    @property
    def name(self) -> str:
        return (f"{self.release}-" if self.release else "") + f"{self.index}-of-{self.count}"

    def takes_other_tests(self, first_release: str) -> bool:
        """The harness's own tests (they need podman) run in one job only: shard 1, of the first release."""
        return self.index == 1 and self.release in (None, first_release)


@dataclass(frozen=True)
class _Item:
    """What the algorithm needs of a pytest item."""

    nodeid: str

    def __str__(self) -> str:
        return self.nodeid


def plan(item_ids: list[str], durations: dict[str, float], count: int) -> list[tuple[list[str], float]]:
    """Every shard's items and planned seconds, shard 1 first."""
    groups = LeastDurationAlgorithm()(count, [_Item(nodeid) for nodeid in item_ids], durations)
    return [([item.nodeid for item in group.selected], group.duration) for group in groups]


def load_durations(path: Path) -> dict[str, float]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def write_durations(path: Path, durations: dict[str, float]) -> None:
    path.write_text(json.dumps(dict(sorted(durations.items())), indent=1) + "\n", encoding="utf-8")
