"""Replication topologies as SVG: `db1 -> db2` per line, drawn left to right by depth, or as a circle when
every server has a primary (a ring). Strokes use currentColor, so the diagram follows the light/dark palette."""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

from runbook_kb.verification.html import text as escape

_EDGE = re.compile(r"^(?P<a>[A-Za-z0-9_.-]+)\s*->\s*(?P<b>[A-Za-z0-9_.-]+)(?:\s*:\s*(?P<label>.+))?$")
BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 96, 40, 80, 28, 16


class TopologyError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line, self.message = line, message  # the line within the fence's body


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""


def parse(text: str) -> list[Edge]:
    edges: list[Edge] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _EDGE.match(line)
        if not match:
            raise TopologyError(number, f"expected `source -> target` (optionally `: label`), got {raw.strip()!r}")
        if match["a"] == match["b"]:
            raise TopologyError(number, f"{match['a']} cannot replicate from itself")
        edges.append(Edge(match["a"], match["b"], (match["label"] or "").strip()))
    if not edges:
        raise TopologyError(1, "no edges")
    return edges


def _nodes(edges: list[Edge]) -> list[str]:
    return list(dict.fromkeys(name for edge in edges for name in (edge.source, edge.target)))


def layout(edges: list[Edge]) -> dict[str, tuple[float, float]]:
    """Centre of each server's box."""
    nodes = _nodes(edges)
    sources = [n for n in nodes if not any(e.target == n for e in edges)]
    if not sources:  # a ring: every server replicates from another one
        # Neighbours on the circle stay a box width plus an arrow apart.
        radius = (BOX_W + GAP_X / 2) / (2 * math.sin(math.pi / max(len(nodes), 3)))
        centre_x, centre_y = PAD + BOX_W / 2 + radius, PAD + BOX_H / 2 + radius
        return {
            n: (centre_x + radius * math.sin(2 * math.pi * i / len(nodes)),
                centre_y - radius * math.cos(2 * math.pi * i / len(nodes)))
            for i, n in enumerate(nodes)
        }
    depth = dict.fromkeys(sources, 0)
    frontier = list(sources)
    while frontier:
        current = frontier.pop(0)
        for edge in edges:
            if edge.source == current and edge.target not in depth:
                depth[edge.target] = depth[current] + 1
                frontier.append(edge.target)
    # Room between columns for the longest edge label (about 6.5 px per character at 11 px).
    gap_x = max(GAP_X, max(len(e.label) for e in edges) * 6.5 + 24)
    columns: dict[int, list[str]] = {}
    for n in nodes:
        columns.setdefault(depth.get(n, 0), []).append(n)
    tallest = max(len(c) for c in columns.values())
    positions = {}
    for col, members in columns.items():
        offset = (tallest - len(members)) * (BOX_H + GAP_Y) / 2
        for row, n in enumerate(members):
            positions[n] = (PAD + BOX_W / 2 + col * (BOX_W + gap_x),
                            PAD + BOX_H / 2 + offset + row * (BOX_H + GAP_Y))
    return positions


def _border_point(centre: tuple[float, float], toward: tuple[float, float]) -> tuple[float, float]:
    """Where the line from a box's centre toward a point leaves the box."""
    dx, dy = toward[0] - centre[0], toward[1] - centre[1]
    scale = min((BOX_W / 2 + 4) / abs(dx) if dx else math.inf, (BOX_H / 2 + 4) / abs(dy) if dy else math.inf)
    return centre[0] + dx * scale, centre[1] + dy * scale


def render_svg(text: str, title: str = "") -> str:
    edges = parse(text)
    positions = layout(edges)
    width = max(x for x, _ in positions.values()) + BOX_W / 2 + PAD
    height = max(y for _, y in positions.values()) + BOX_H / 2 + PAD
    described = "; ".join(f"{e.source} replicates to {e.target}" for e in edges)
    label = escape(title or described)
    # Several diagrams share a page: the arrowhead's id must be theirs alone.
    marker = "arrow-" + hashlib.sha1(f"{title}\n{text}".encode()).hexdigest()[:8]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="topology" role="img" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}"><title>{label}</title>',
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>',
    ]
    pairs = {(e.source, e.target) for e in edges}
    for edge in edges:
        a, b = positions[edge.source], positions[edge.target]
        if (edge.target, edge.source) in pairs:  # both directions: draw the two arrows side by side
            nx, ny = -(b[1] - a[1]), b[0] - a[0]
            norm = math.hypot(nx, ny) or 1
            a, b = (a[0] + 6 * nx / norm, a[1] + 6 * ny / norm), (b[0] + 6 * nx / norm, b[1] + 6 * ny / norm)
        (x1, y1), (x2, y2) = _border_point(a, b), _border_point(b, a)
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="currentColor" '
                     f'stroke-width="1.5" marker-end="url(#{marker})"/>')
        if edge.label:
            parts.append(f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2 - 6:.1f}" text-anchor="middle" '
                         f'font-size="11" fill="currentColor">{escape(edge.label)}</text>')
    for name, (x, y) in positions.items():
        parts.append(f'<rect x="{x - BOX_W / 2:.1f}" y="{y - BOX_H / 2:.1f}" width="{BOX_W}" height="{BOX_H}" '
                     'rx="6" fill="none" stroke="currentColor" stroke-width="1.5"/>')
        parts.append(f'<text x="{x:.1f}" y="{y + 5:.1f}" text-anchor="middle" font-size="14" '
                     f'font-family="monospace" fill="currentColor">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
