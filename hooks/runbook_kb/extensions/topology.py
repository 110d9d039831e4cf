"""```topology fences: `db1 -> db2` lines become an inline SVG diagram (a pymdownx.superfences custom fence).

The fence's own formatter knows neither the page nor where the fence sits in it, so the page's preprocessor
checks every diagram first (check) and names page and line; the formatter then only draws."""

from __future__ import annotations

from pymdownx.superfences import SuperFencesException

from runbook_kb.diagrams.topology import TopologyError, parse, render_svg
from runbook_kb.fences import Fence

from .generator import Finding


def check(md, site, where: str, line: int, fence: Fence) -> None:
    try:
        parse(fence.body)
    except TopologyError as exc:
        raise Finding(f"{where}:{line + exc.line}: topology diagram: {exc.message}") from None


def topology(source, language, css_class, options, md, **kwargs):
    try:
        svg = render_svg(source, options.get("title", ""))
    except TopologyError as exc:
        raise SuperFencesException(f"topology diagram, {exc}") from None
    return f'<figure class="{css_class}">{svg}</figure>'


def topology_options(language, inputs, options, attrs, md):
    """Accepts only `title="…"`, the diagram's accessible name."""
    for key, value in inputs.items():
        if key != "title":
            raise SuperFencesException(f"topology diagram: unknown option {key!r} (only title)")
        options["title"] = value
    return True
