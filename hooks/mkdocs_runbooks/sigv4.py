"""```sigv4 fences → a SigV4 worked example computed at build time (a thin MkDocs adapter over hooks/sigv4).

The fence holds a declared request, inline or as a `--8<--` include of a snippet file (which a lab can then
send). The declaration stays on the page as a YAML block (an include stays an include, so the verification
plugin stamps it); the worked example follows it. A bad declaration is an error naming page and line.
"""

from __future__ import annotations

import logging
import re
from html import escape
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, event_priority

from harness.errors import SpecError
from harness.snippets import SnippetRef, read_snippet
from markdownfences import Fence, replace
from sigv4.declaration import parse
from sigv4.render import worked_example
from sigv4.signing import SigningMismatch, sign

log = logging.getLogger("mkdocs.plugins.runbook-sigv4")

_INCLUDE = re.compile(r"""^\s*-{1,}8<-{1,}\s+(?P<q>["'])(?P<ref>.+?)(?P=q)\s*$""")


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
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8") if page.file.abs_src_path else markdown
        front_matter = len(source.split("\n")) - len(markdown.split("\n"))

        def example(fence: Fence) -> str:
            line = fence.first + 1 + front_matter
            shown = f"```yaml {fence.info}\n{fence.body}\n```\n"
            try:
                included = _INCLUDE.match(fence.body) if "\n" not in fence.body.strip() else None
                if included:
                    ref = SnippetRef.parse(included["ref"])
                    snippet = read_snippet(self.snippets_dir, ref)
                    where = (self.snippets_dir / ref.path).relative_to(self.root)
                    declaration = parse(snippet.text, where, snippet.first_line)
                else:
                    declaration = parse(fence.body, f"docs/{page.file.src_uri}", line + 1)
                signed = sign(declaration)
            except (SpecError, SigningMismatch, ValueError, OSError) as exc:
                log.warning(f"docs/{page.file.src_uri}:{line}: sigv4: {exc}")
                # The declaration is not shown either: it may hold the very key that was refused.
                return f'!!! failure "Request not signed"\n    {escape(str(exc))}\n'
            return shown + worked_example(signed)

        return replace(markdown, "sigv4", example)
