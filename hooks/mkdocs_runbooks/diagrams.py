"""```topology fences checked before the page renders, so a bad line is named on the page: superfences'
own fence formatter (mkdocs_runbooks.fences) knows neither the page nor where the fence sits in it."""

from __future__ import annotations

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from diagrams.topology import TopologyError, parse
from markdownfences import find

from .pagelines import fence_lines


class DiagramsConfig(Config):
    enabled = opt.Type(bool, default=True)


class DiagramsPlugin(BasePlugin[DiagramsConfig]):
    @event_priority(50)  # before other plugins change the page's lines
    def on_page_markdown(self, markdown: str, page, config, files):
        if not self.config.enabled or "topology" not in markdown:
            return
        lines = fence_lines(page, markdown, "topology")
        for fence in find(markdown, "topology"):
            try:
                parse(fence.body)
            except TopologyError as exc:
                raise PluginError(f"docs/{page.file.src_uri}:{lines[fence.index] + exc.line}: topology diagram: "
                                  f"{exc.message}") from None
        return markdown
