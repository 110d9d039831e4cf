"""pymdownx.superfences custom fences backed by the generator-free renderers in hooks/diagrams."""

from pymdownx.superfences import SuperFencesException

from diagrams.topology import TopologyError, render_svg


def topology(source, language, css_class, options, md, **kwargs):
    """```topology fences: `db1 -> db2` lines become an inline SVG diagram; a bad line stops the build."""
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
