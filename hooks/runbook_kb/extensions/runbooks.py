"""The Python-Markdown extension `runbook_kb.extensions.runbooks`: everything the project adds to a page,
under any generator that runs Python-Markdown extensions (MkDocs, Zensical).

Before the page's Markdown is parsed: barcodes, SigV4 worked examples, lab artifacts and the status page take
their fences' places, topology diagrams are checked, each snippet include's fence gets its status as data
attributes and is expanded to the very lines that status was worked out from, and the runbook's summary goes
under its title. No other extension expands includes, so what a badge stands beside is what its lab ran. After the HTML is made: each snippet block gets its id and its badge, and a runbook page's code that
no snippet status covers is a finding.
"""

from __future__ import annotations

from pathlib import Path

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from runbook_kb.errors import SpecError
from runbook_kb.fences import lex, replace, source_lines
from runbook_kb.fences import find as find_fences
from runbook_kb.includes import FenceError, expand, include_ref, parse_info, scan
from runbook_kb.layout import Layout
from runbook_kb.verification import claims, codeblocks
from runbook_kb.verification.placeholders import mark_placeholders

from . import artifact, barcode, breakages, example, generator, sigv4, stamps, state, topology
from .generator import Finding

# In the order they are rewritten: a sigv4 fence may include a snippet that is then stamped like any other.
REWRITTEN = (("barcode", barcode.draw), ("sigv4", sigv4.example), ("lab-artifact", artifact.show),
             ("bench-figures", artifact.bench_figures), ("breakage-report", breakages.draw))
STATUS_FENCE = "runbook-status"
EXTENSION = __name__  # its name under markdown_extensions


def rewrite(md, site: state.Site, where: str, source: str, markdown: str) -> str:
    """Each fence the extension draws, in `markdown` (which `source`, the file `where`, holds as written:
    a finding names its line there). A guide example is a file drawn the same way, naming its own lines."""
    # Before the examples are drawn in: superfences draws the diagrams, so an example's stay fences, which
    # its own rewrite has checked.
    if "topology" in markdown:
        lines = source_lines(source, "topology")
        for fence in find_fences(markdown, "topology"):
            topology.check(md, site, where, lines[fence.index], fence)
    if "example" in markdown:
        lines = source_lines(source, "example")
        markdown = replace(markdown, "example", lambda fence: example.show(md, site, where, lines[fence.index], fence,
                                                                          rewrite))
    for lang, render in REWRITTEN:
        if lang in markdown:
            lines = source_lines(source, lang)
            markdown = replace(markdown, lang, lambda fence: render(md, site, where, lines[fence.index], fence))
    return markdown


# What pymdownx.superfences reads after the language of a fence it draws as code (pymdownx.highlight's options).
# With anything else it takes the line for text, and the fences after it pair up differently.
_HIGHLIGHT_OPTIONS = {"title", "linenums", "hl_lines"}
# The fences the extension itself draws, or superfences' custom ones: their options are theirs to read.
_OWN_FENCES = {"example", "topology", STATUS_FENCE, *(lang for lang, _ in REWRITTEN)}


def _unlike_superfences(where: str, source: str) -> list[str]:
    """Fences CommonMark reads one way and pymdownx.superfences, which draws them, another: it closes a fence
    only on the line that opened it, repeated, drops one that is never closed, and reads no fence whose options
    it does not know (a snippet include's are turned into attributes first)."""
    lines, found = source.split("\n"), []
    for fence in lex(source):
        opened = fence.prefix + fence.char * fence.length
        if fence.info and not fence.info.startswith("{") and fence.lang not in _OWN_FENCES \
                and include_ref(fence.body) is None:
            try:
                unknown = sorted(set(parse_info(fence.info)[1]) - _HIGHLIGHT_OPTIONS)
            except FenceError as exc:
                unknown = [str(exc)]
            if unknown:
                found.append(f"{where}:{fence.first + 1}: pymdownx.superfences would not draw this fence as code "
                             f"({', '.join(unknown)}): only title, linenums and hl_lines go on a fence that "
                             "includes no snippet")
        if not fence.closed:
            found.append(f"{where}:{fence.first + 1}: this fence is never closed; close it with {opened.strip()} "
                         "(pymdownx.superfences drops a fence without its closing line)")
        elif lines[fence.last].rstrip() != opened:
            found.append(f"{where}:{fence.last + 1}: this line closes the fence of line {fence.first + 1} for "
                         f"CommonMark, but pymdownx.superfences closes it only on {opened.strip()!r} at the same "
                         "indent: write it so")
    return found


class _Page:
    """What the preprocessor learnt of the page for the postprocessor, on the Markdown instance."""

    def __init__(self, page: str, source: str, site: state.Site | None):
        self.page, self.source, self.site = page, source, site
        self.tree_done = False  # postprocessors run on heading fragments too (toc) until the tree is done


class TreeDone(Treeprocessor):
    """The last treeprocessor: from here on, a postprocessor run is the whole page's (before it, MkDocs' title
    and the toc run them on headings)."""

    def run(self, root):
        if (seen := getattr(self.md, "runbook_page", None)) is not None:
            seen.tree_done = True


class RunbookPreprocessor(Preprocessor):
    def __init__(self, md, extension: RunbookExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.md.runbook_page = None
        page = generator.page_of(self.md)
        if page is None or not self.extension.getConfig("enabled"):
            return lines
        # Zensical hands the page over as written; a line ending in \r would hide its fence's end.
        markdown = "\n".join(lines).replace("\r\n", "\n").replace("\r", "\n")
        try:
            return self._run(page, markdown).split("\n")
        except (Finding, SpecError) as exc:
            generator.fail(self.md, str(exc))

    def _run(self, page: str, markdown: str) -> str:
        ext = self.extension
        site = state.build.get(ext.layout)
        for problem in site.problems:
            state.report(self.md, str(problem))
        source = site.sources.get(page, markdown)
        self.md.runbook_page = _Page(page, source, site)
        if unlike := _unlike_superfences(f"docs/{page}", source):
            raise Finding(unlike[0])  # the page would not be drawn as written
        if page == ext.getConfig("status_page"):
            markdown = replace(markdown, STATUS_FENCE, lambda fence: site.status_page)
        markdown = rewrite(self.md, site, f"docs/{page}", source, markdown)
        if page in site.claims:
            try:
                markdown = claims.render(f"docs/{page}", markdown, site.claims[page])
            except claims.ClaimError as exc:
                raise Finding(str(exc)) from None
        statuses = site.statuses.get(page)
        if not statuses:
            return markdown
        # The Markdown lacks the page's front matter, so its includes are found again here, in the same order.
        found, _ = scan(page, markdown)
        if [inc.ref for inc in found] != [status.include.ref for status in statuses]:
            raise Finding(f"docs/{page}: snippet includes changed between reading the page and rendering it; "
                          "something else rewrote them")
        out = markdown.split("\n")
        for inc, status in reversed(list(zip(found, statuses, strict=True))):
            try:
                out[inc.line - 1 : inc.line] = expand(out[inc.fence_line - 1], out[inc.line - 1], status.shown.text)
            except FenceError as exc:
                raise Finding(f"docs/{page}:{status.include.line}: snippet {inc.ref}: {exc}") from None
            out[inc.fence_line - 1] = stamps.brace_fence(out[inc.fence_line - 1], inc, status)
        return stamps.with_summary("\n".join(out), site.summaries[page])


class RunbookPostprocessor(Postprocessor):
    def __init__(self, md, extension: RunbookExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        seen = getattr(self.md, "runbook_page", None)
        if seen is None or not seen.tree_done:
            return text
        page, ext = seen.page, self.extension
        if page.startswith(ext.getConfig("snippets_only")):
            for code in codeblocks.unstamped(text):
                state.report(self.md, f"docs/{page}:{codeblocks.source_line(seen.source, code)}: code without a "
                                    f"status ({code[:40]!r}); put it under snippets/ and include it in a fence")
        statuses = seen.site.statuses.get(page)
        if not statuses:
            return text
        generator.register_anchors(self.md, (status.anchor for status in statuses))
        try:
            return stamps.badge_blocks(mark_placeholders(codeblocks.inherit_statuses(text)), page, statuses)
        except Finding as exc:
            generator.fail(self.md, str(exc))


class RunbookExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "enabled": [True, "false: build the same pages without what this extension adds"],
            "root": ["", "the project's folder (default: found at or above the working directory)"],
            "status_page": ["status.md", "the page, relative to docs/, whose ```runbook-status fence is the "
                                         "status page"],
            "snippets_only": ["posts/", "pages under this folder show code only as snippet includes"],
        }
        super().__init__(**kwargs)
        self._layout: Layout | None = None

    @property
    def layout(self) -> Layout:
        if self._layout is None:
            root = self.getConfig("root")
            try:
                self._layout = Layout.of(Path(root) if root else Path.cwd())
            except FileNotFoundError as exc:
                raise Finding(f"{EXTENSION}: {exc}") from None
        return self._layout

    def extendMarkdown(self, md):
        md.registerExtension(self)
        # Before fenced code is parsed.
        md.preprocessors.register(RunbookPreprocessor(md, self), "runbook_kb", 40)
        md.treeprocessors.register(TreeDone(md), "runbook_kb_tree_done", -1000)
        # After raw HTML (superfences' code blocks among it) is back in place (30).
        md.postprocessors.register(RunbookPostprocessor(md, self), "runbook_kb", 10)


def makeExtension(**kwargs):
    return RunbookExtension(**kwargs)
