"""```sigv4 fences → a SigV4 worked example computed at build time (a thin MkDocs adapter over hooks/sigv4).

The fence holds a declared request, inline or as a `--8<--` include of a snippet file (which a lab can then
send). The declaration stays on the page as a YAML block (an include stays an include, so the verification
plugin stamps it); the worked example follows it. A bad declaration is an error naming page and line.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from harness.errors import SpecError
from harness.includes import include_ref
from harness.snippets import read_snippet
from markdownfences import Fence, replace
from sigv4.declaration import parse
from sigv4.render import worked_example
from sigv4.signing import SigningMismatch, sign
from verification.html import text as escape

from .pagelines import fence_lines

log = logging.getLogger("mkdocs.plugins.runbook-sigv4")


class SigV4Config(Config):
    enabled = opt.Type(bool, default=True)
    snippets_dir = opt.Type(str, default="snippets")  # relative to mkdocs.yml, as pymdownx.snippets' base_path


class SigV4Plugin(BasePlugin[SigV4Config]):
    def on_config(self, config):
        self.root = Path(config.config_file_path).parent
        self.snippets_dir = self.root / self.config.snippets_dir

    @event_priority(50)  # before the verification plugin turns the included declaration into a stamped block
    def on_page_markdown(self, markdown: str, page, config, files):
        if not self.config.enabled or "sigv4" not in markdown:
            return
        lines = fence_lines(page, markdown, "sigv4")

        def example(fence: Fence) -> str:
            line = lines[fence.index]
            shown = f"```yaml {fence.info}\n{fence.body}\n```\n"
            ref = None
            try:
                ref = include_ref(fence.body)
                if ref:
                    snippet = read_snippet(self.snippets_dir, ref)
                    where = (self.snippets_dir / ref.path).relative_to(self.root)
                    declaration = parse(snippet.text, where, snippet.first_line)
                else:
                    declaration = parse(fence.body, f"docs/{page.file.src_uri}", line + 1)
                signed = sign(declaration)
            except (SpecError, SigningMismatch, ValueError, OSError) as exc:
                message = f"docs/{page.file.src_uri}:{line}: sigv4: {exc}"
                if ref:
                    # An included declaration is a snippet the page must stamp; without it the page cannot be
                    # built right, strict or not.
                    raise PluginError(message) from None
                log.warning(message)
                # The declaration is not shown either: it may hold the very key that was refused.
                return f'!!! failure "Request not signed"\n    {escape(str(exc))}\n'
            return shown + worked_example(signed)

        return replace(markdown, "sigv4", example)
