"""```lab-artifact fences → the screenshot or the figures a lab step made, with where and when it made them."""

from __future__ import annotations

from pathlib import Path

from runbook_kb.fences import Fence
from runbook_kb.includes import FenceError, parse_info
from runbook_kb.verification import artifacts
from runbook_kb.verification.html import text as escape

from . import generator, state

ASSETS = "assets/lab"  # inside the site


def show(md, site, where: str, line: int, fence: Fence) -> str:
    try:
        _, options = parse_info(f"x {fence.options}")
        if Path(fence.body.strip()).suffix.lower() in artifacts.IMAGES and "alt" not in options:
            raise artifacts.ArtifactError('an image needs alt="…", what it shows for readers who cannot see it')
        line += 1  # from here on, what can be wrong is the reference, on the line below the fence's
        lab, name = artifacts.parse_ref(fence.body)
        declared = {made for step in site.labs[lab].steps for made in step.artifact_names} if lab in site.labs else set()
        if name not in declared:
            raise artifacts.ArtifactError(f"no step of lab {lab} makes {name}: a step lists the files it makes "
                                          "under artifacts:")
        artifact = _find(site, fence.body)
    except (FenceError, artifacts.ArtifactError) as exc:
        state.report(md, f"{where}:{line}: lab-artifact: {exc}")
        return f'!!! failure "Lab artifact not shown"\n    {escape(str(exc))}\n'
    if artifact is None:
        return (f'!!! info "Not measured yet"\n    Lab {escape(fence.body.split("/")[0])} has not made '
                f"`{escape(fence.body.strip())}` yet; it appears here once that lab has run.\n")
    caption = escape(artifact.provenance())
    if not artifact.is_image:
        return f'{artifact.path.read_text(encoding="utf-8")}\n<p class="lab-artifact__caption">{caption}</p>\n'
    src = generator.asset_url(md, f"{ASSETS}/{artifact.lab}/{artifact.name}", artifact.path)
    title = f"{escape(options['title'])}. " if "title" in options else ""
    return (f'<figure class="lab-artifact"><img src="{src}" alt="{escape(options.get("alt", ""))}" loading="lazy">'
            f"<figcaption>{title}{caption}</figcaption></figure>\n")


def _find(site, ref: str):
    """artifacts.find, once per reference and build: it hashes the file (screenshots are large)."""
    if ref not in site.found_artifacts:
        lab = site.labs.get(ref.strip().split("/")[0])
        try:
            site.found_artifacts[ref] = artifacts.find(ref, site.vetted.results, site.layout.artifacts,
                                                       [release.key for release in lab.releases] if lab else [])
        except artifacts.ArtifactError as exc:
            site.found_artifacts[ref] = exc
    found = site.found_artifacts[ref]
    if isinstance(found, artifacts.ArtifactError):
        raise found
    return found


def bench_figures(md, site, where: str, line: int, fence: Fence) -> str:
    """```bench-figures: the table `make bench` wrote last on the machine that builds the site, as written."""
    if site.bench_figures is None:
        return '!!! info "Not measured on this machine"\n    `make bench` writes its figures to `build/bench.txt`.\n'
    # Figures to read, not a command to copy: no copy button.
    return f"``` {{ .text .no-copy }}\n{site.bench_figures.rstrip()}\n```\n"
