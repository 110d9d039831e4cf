"""```sigv4 fences → a SigV4 worked example computed at build time.

The fence holds a declared request, inline or as a `--8<--` include of a snippet file (which a lab can then
send). The declaration stays on the page as a YAML block (an include stays an include, so it is stamped like
any other); the worked example follows it. A bad declaration is a finding naming page and line.
"""

from __future__ import annotations

from runbook_kb.errors import SpecError
from runbook_kb.fences import Fence
from runbook_kb.includes import include_ref
from runbook_kb.sigv4.declaration import parse
from runbook_kb.sigv4.render import worked_example
from runbook_kb.sigv4.signing import SigningMismatch, sign
from runbook_kb.snippets import read_snippet
from runbook_kb.verification.html import text as escape

from . import generator, state


def example(md, site, where: str, line: int, fence: Fence) -> str:
    ref = None
    layout = site.layout
    try:
        ref = include_ref(fence.body)
        if ref:
            snippet = read_snippet(layout.snippets, ref)
            snippet_file = (layout.snippets / ref.path).relative_to(layout.root)
            declaration = parse(snippet.text, snippet_file, snippet.first_line)
        else:
            declaration = parse(fence.body, where, line + 1)
        signed = sign(declaration)
    except (SpecError, SigningMismatch, ValueError, OSError) as exc:
        message = f"{where}:{line}: sigv4: {exc}"
        if ref:
            # An included declaration is a snippet the page must stamp; without it the page cannot be built
            # right, strict or not.
            generator.fail(md, message)
        state.report(md, message)
        # The declaration is not shown either: it may hold the very key that was refused.
        return f'!!! failure "Request not signed"\n    {escape(str(exc))}\n'
    # An inline declaration is marked as such: the worked example's blocks follow from it, as they do from an
    # included one's snippet.
    shown = f"```yaml {fence.options}" if ref else f"``` {{ .yaml data-sigv4-inline=\"yes\" {fence.options} }}"
    return f"{shown}\n{fence.body}\n```\n" + worked_example(signed)
