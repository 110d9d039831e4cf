"""make bench's shard rows. The real suite as one run, then as 2 and as 3 shards run one after another and
merged: the site built from each must equal, file for file, the one built from the single run, once what a
run records (dates, clock times, durations, the values its steps captured) and what its labs measure (a lab
artifact's figures and screenshots) are set aside. And merging 100 shard files of a synthetic 1,000-runbook
base."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import tempfile
import time
from pathlib import Path

from benchtable import LAYOUT, PY, Row, report, run
from runbook_kb.lab.merge import merge
from runbook_kb.layout import Layout
from synthetic import generate

# What a run records of time, wherever a page shows it.
_TIMES = re.compile(r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:\+00:00|Z)?(?: UTC)?)?"
                    r"|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b"
                    r"|\b\d+(?:\.\d+)? (?:ms|s|min)\b")
# A lab artifact's figures, as a page includes them: measured, not recorded.
_FIGURES = re.compile(r'<table>(?:(?!</?table>).)*</table>(?=\s*<p class="lab-artifact__caption">)', re.S)


def _text(path: Path) -> str | None:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def differences(single: Path, other: Path) -> list[str]:
    """The files that differ, times and measurements aside; screenshots are compared by name only."""
    names = {p.relative_to(single).as_posix() for p in single.rglob("*") if p.is_file()}
    names |= {p.relative_to(other).as_posix() for p in other.rglob("*") if p.is_file()}
    differing = []
    for name in sorted(names):
        a, b = single / name, other / name
        if not (a.is_file() and b.is_file()):
            differing.append(f"{name}: only in {'the single run' if a.is_file() else 'the shards'}")
            continue
        if name.startswith("assets/lab/") and a.suffix == ".png":
            continue  # a screenshot of the same page, taken again
        ta, tb = _text(a), _text(b)
        if ta is None or tb is None:
            same = a.read_bytes() == b.read_bytes()
        else:
            same = _plain(ta) == _plain(tb)
        if not same:
            differing.append(name)
    return differing


# The values a run captured and filled in (a binlog position, a swap UUID mkswap made), as a badge lists them.
_CAPTURED = re.compile(r"(&lt;[A-Z][A-Z0-9_]*&gt; = )[^,<]+")


def _plain(text: str) -> str:
    return _CAPTURED.sub(r"\1<value>", _TIMES.sub("<time>", _FIGURES.sub("<figures>", text)))


def _site(out: Path) -> None:
    run([PY, "-m", "mkdocs", "build", "--quiet", "--strict", "-d", str(out)])


def real_suite(counts: tuple[int, ...] = (2, 3)) -> None:
    lab = [PY, "-m", "pytest", "-q", "-m", "lab", "-p", "no:cacheprovider", "-n", "auto", "--labs=all"]
    with tempfile.TemporaryDirectory(prefix="runbook-shards-") as tmp:
        seconds, _ = run(lab)
        _site(Path(tmp) / "single")
        report(Row("the real suite, one run (both releases)", f"{seconds / 60:.1f} min"))
        for count in counts:
            shutil.rmtree(LAYOUT.shards, ignore_errors=True)
            took = sum(run([*lab, "--shard", f"{k}/{count}"])[0] for k in range(1, count + 1))
            merged, files = merge(LAYOUT)
            _site(Path(tmp) / f"{count}")
            differing = differences(Path(tmp) / "single", Path(tmp) / f"{count}")
            report(Row(f"{count} shards one after another ({took / 60:.1f} min), merged: site vs one run",
                       f"{len(differing)} files differ" + (f": {', '.join(differing[:3])}" if differing else ""),
                       "0 differ", not differing))
        shutil.rmtree(LAYOUT.shards, ignore_errors=True)


def merge_scale(shards: int = 100, runbooks: int = 1000) -> None:
    with tempfile.TemporaryDirectory(prefix="runbook-merge-") as tmp:
        generate(runbooks, Path(tmp) / "kb", ran_every=1)
        layout = Layout(Path(tmp) / "kb")
        data = json.loads(layout.results.read_text())
        entries = [(lab, release, value) for lab, releases in data["labs"].items()
                   for release, value in releases.items()]
        layout.shards.mkdir(parents=True)
        for k in range(shards):
            part: dict = {}
            for lab, release, value in entries[k::shards]:
                part.setdefault(lab, {})[release] = value
            shard = layout.shards / f"{k + 1}-of-{shards}.json"
            shard.write_text(json.dumps({"schema": data["schema"], "labs": part}))
        layout.results.unlink()
        started = time.perf_counter()
        merged, files = merge(layout)
        seconds = time.perf_counter() - started
    report(Row(f"merging {files} shard files of {runbooks} runbooks ({merged} results)", f"{seconds:.2f} s",
               "<= 5 s", seconds <= 5))
