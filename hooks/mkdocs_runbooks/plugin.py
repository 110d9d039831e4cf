"""Stamps every included snippet with its verification status and generates the Runbook status page.

A thin adapter: statuses, badges and the status page come from the MkDocs-free `verification` package.
"""

from __future__ import annotations

import logging
import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from harness.errors import SpecError
from harness.includes import FenceError, Include, parse_info, scan
from markdownfences import Fence, replace
from harness.layout import Layout
from harness.releases import load_releases
from harness.results import load_results
from harness.spec import load_labs
from harness.trust import vet
from verification import artifacts, badges, codeblocks, statuspage, summary
from verification.placeholders import mark_placeholders
from verification.status import SnippetStatus, resolve
from verification.html import text as escape

from .config import VerificationConfig
from .pagelines import fence_lines
from .scale import memoize_markdown_titles
from .siteassets import copy_into_site

log = logging.getLogger("mkdocs.plugins.runbook-verification")

# A snippet's code block, marked by _brace_fence; its anchor becomes the block's id when the badge goes in.
_CONTAINER = re.compile(r'<div\b(?P<before>[^>]*?) data-snippet-anchor="(?P<id>[^"]+)"(?P<after>[^>]*)>')


class VerificationPlugin(BasePlugin[VerificationConfig]):
    def on_config(self, config):
        if not self.config.enabled:
            return
        memoize_markdown_titles()
        root = Path(config.config_file_path).parent
        self.layout = Layout(root)
        self.labs_dir = root / self.config.labs_dir
        self.snippets_dir = root / self.config.snippets_dir
        self.results_path = root / self.config.results
        self.artifacts_dir = root / self.config.artifacts_dir
        self.statuses: dict[str, list[SnippetStatus]] = {}
        self.results: dict = {}
        self.published: dict[str, Path] = {}  # site path → artifact file
        self.found_artifacts: dict = {}  # reference → Artifact or its error, checked once per build

    def on_serve(self, server, config, builder):
        if self.config.enabled:
            for path in (self.labs_dir, self.snippets_dir, self.results_path.parent, self.artifacts_dir):
                if path.exists():
                    server.watch(str(path))
        return server

    @event_priority(-50)  # after the blog plugin has added its generated pages
    def on_files(self, files: Files, config):
        if not self.config.enabled:
            return
        try:
            labs = load_labs(self.labs_dir, self.snippets_dir)
            releases = load_releases(self.layout.releases)
            vetted = vet(load_results(self.results_path), labs, self.layout)
        except SpecError as exc:
            raise PluginError(str(exc)) from None
        includes: dict[str, list[Include]] = {}
        titles: dict[str, str] = {}
        # Every page, including blog posts, which the blog plugin keeps excluded until it builds the nav.
        for file in files.documentation_pages(inclusion=lambda _: True):
            if file.src_uri == self.config.status_page or file.abs_src_path is None:
                continue
            source = Path(file.abs_src_path).read_text(encoding="utf-8")
            try:
                found, _ = scan(file.src_uri, source)
            except FenceError as exc:
                raise PluginError(f"docs/{exc}") from None
            if found:
                includes[file.src_uri] = found
                titles[file.src_uri] = statuspage.page_title(source, file.src_uri)
        # Only what counts reaches a page: an artifact of a result that does not count is not shown either.
        self.results, self.published, self.found_artifacts = vetted.results, {}, {}
        self.declared_artifacts = {lab.name: {name for step in lab.steps for name in step.artifact_names}
                                   for lab in labs}
        self.lab_releases = {lab.name: [release.key for release in lab.releases] for lab in labs}
        statuses, problems = resolve(includes, labs, vetted, self.snippets_dir)
        if fatal := [problem for problem in problems if problem.fatal]:
            # Before any page renders: pymdownx.snippets would stop at the first with a traceback.
            raise PluginError("\n".join(str(problem) for problem in fatal))
        for problem in problems:
            log.warning(str(problem))
        self.statuses = {}
        for status in statuses:
            self.statuses.setdefault(status.include.page, []).append(status)
        labs_by_name = {lab.name: lab for lab in labs}
        self.summaries = {page: summary.summary(labs_by_name.get(rows[0].include.ref.path.split("/", 1)[0]),
                                                releases, vetted)
                          for page, rows in self.statuses.items()}
        content = statuspage.render(statuses, labs, releases, vetted, titles, self.results_path)
        files.append(File.generated(config, self.config.status_page, content=content))
        return files

    def on_page_markdown(self, markdown: str, page, config, files):
        if not self.config.enabled:
            return
        if "lab-artifact" in markdown:
            markdown = self._artifacts(markdown, page)
        if page.file.src_uri not in self.statuses:
            return markdown
        # The page's Markdown lacks its front matter, so its includes are found again here, in the same order.
        lines = markdown.split("\n")
        found, _ = scan(page.file.src_uri, markdown)
        statuses = self.statuses[page.file.src_uri]
        if [inc.ref for inc in found] != [status.include.ref for status in statuses]:
            raise PluginError(f"docs/{page.file.src_uri}: snippet includes changed between reading the page "
                              "and rendering it; another plugin rewrote them")
        for inc, status in zip(found, statuses, strict=True):
            lines[inc.fence_line - 1] = _brace_fence(lines[inc.fence_line - 1], inc, status)
        return _with_summary("\n".join(lines), self.summaries[page.file.src_uri])

    def _artifacts(self, markdown: str, page) -> str:
        """```lab-artifact fences → the screenshot or the figures a lab step made, with where they came from."""
        page_dir = posixpath.dirname(page.file.dest_uri)
        lines = fence_lines(page, markdown, "lab-artifact")

        def show(fence: Fence) -> str:
            line = lines[fence.index]
            try:
                _, options = parse_info(f"x {fence.info}")
                if Path(fence.body.strip()).suffix.lower() in artifacts.IMAGES and "alt" not in options:
                    raise artifacts.ArtifactError('an image needs alt="…", what it shows for readers who cannot see it')
                line += 1  # from here on, what can be wrong is the reference, on the line below the fence's
                lab, name = artifacts.parse_ref(fence.body)
                if name not in self.declared_artifacts.get(lab, ()):
                    raise artifacts.ArtifactError(f"no step of lab {lab} makes {name}: a step lists the files it "
                                                  "makes under artifacts:")
                artifact = self._artifact(fence.body)
            except (FenceError, artifacts.ArtifactError) as exc:
                log.warning(f"docs/{page.file.src_uri}:{line}: lab-artifact: {exc}")
                return f'!!! failure "Lab artifact not shown"\n    {escape(str(exc))}\n'
            if artifact is None:
                return (f'!!! info "Not measured yet"\n    Lab {escape(fence.body.split("/")[0])} has not made '
                        f"`{escape(fence.body.strip())}` yet; it appears here once that lab has run.\n")
            caption = escape(artifact.provenance())
            if not artifact.is_image:
                return f'{artifact.path.read_text(encoding="utf-8")}\n<p class="lab-artifact__caption">{caption}</p>\n'
            asset = f"{self.config.artifacts_url}/{artifact.lab}/{artifact.name}"
            self.published[asset] = artifact.path
            title = f"{escape(options['title'])}. " if "title" in options else ""
            return (f'<figure class="lab-artifact"><img src="{posixpath.relpath(asset, page_dir)}" '
                    f'alt="{escape(options.get("alt", ""))}" loading="lazy">'
                    f"<figcaption>{title}{caption}</figcaption></figure>\n")

        return replace(markdown, "lab-artifact", show)

    def _artifact(self, ref: str):
        """artifacts.find, once per reference and build: it hashes the file (screenshots are large)."""
        if ref not in self.found_artifacts:
            try:
                self.found_artifacts[ref] = artifacts.find(ref, self.results, self.artifacts_dir,
                                                           self.lab_releases.get(ref.strip().split("/")[0], []))
            except artifacts.ArtifactError as exc:
                self.found_artifacts[ref] = exc
        found = self.found_artifacts[ref]
        if isinstance(found, artifacts.ArtifactError):
            raise found
        return found

    # Every page has been read by now, and with it every lab-artifact fence: the results are not asked again.
    def on_env(self, env, config, files):
        if self.config.enabled:
            self.results, self.found_artifacts = {}, {}
        return env

    def on_post_build(self, config):
        if not self.config.enabled:
            return
        copy_into_site(config.site_dir, self.published)

    def on_page_content(self, html: str, page, config, files):
        if not self.config.enabled:
            return
        if page.file.src_uri.startswith(self.config.snippets_only):
            source = page.file.content_string
            for code in codeblocks.unstamped(html):
                log.warning(f"docs/{page.file.src_uri}:{codeblocks.source_line(source, code)}: code without a "
                            f"status ({code[:40]!r}); put it under snippets/ and include it in a fence")
        if page.file.src_uri not in self.statuses:
            return
        # The ids sit in HTML that superfences stashed, out of sight of MkDocs' anchor collection; the status
        # page links to them, so MkDocs' link validation has to know they exist.
        if page.present_anchor_ids is not None:
            page.present_anchor_ids.update(status.anchor for status in self.statuses[page.file.src_uri])
        return mark_placeholders(codeblocks.inherit_statuses(html))

    # Badges go into the finished page, not its content: the search indexer (which leaves them out) and the
    # blog's reading time would otherwise parse and count them; at 1,000 runbooks that parsing was a quarter
    # of what the plugins added to the build.
    def on_post_page(self, output: str, page, config):
        if not self.config.enabled or page.file.src_uri not in self.statuses:
            return
        # A page is finished once: its statuses (and through them labs and results) can go, which keeps the
        # peak of a thousand-runbook build, reached at its end, lower.
        by_anchor = {status.anchor: status for status in self.statuses.pop(page.file.src_uri)}
        stamped = 0

        def stamp(match: re.Match) -> str:
            nonlocal stamped
            stamped += 1
            anchor = match.group("id")
            return f'<div id="{anchor}"{match.group("before")}{match.group("after")}>' + badges.badge_html(by_anchor[anchor])

        output = _CONTAINER.sub(stamp, output)
        if stamped != len(by_anchor):
            raise PluginError(f"docs/{page.file.src_uri}: {len(by_anchor)} snippets included but {stamped} "
                              "code blocks found in the HTML to stamp")
        return output


def _quoted(value: str, page: str, line: int) -> str:
    """attr_list takes single or double quotes and no escapes; superfences HTML-escapes the value itself."""
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    raise PluginError(f"docs/{page}:{line}: a fence option cannot hold both kinds of quote: {value}")


def _with_summary(markdown: str, line: str) -> str:
    """The runbook's summary right under its title, so the page header and the blog index entry (the text
    above `<!-- more -->`) both carry it."""
    title = re.search(r"^# .*$", markdown, re.MULTILINE)
    at = title.end() if title else 0
    block = f'\n\n<p class="runbook-summary" data-runbook-summary>{escape(line)}</p>\n'
    return markdown[:at] + block + markdown[at:]


def _brace_fence(line: str, inc: Include, status: SnippetStatus) -> str:
    """```bash title="x" → ``` { .bash title="x" data-snippet-anchor=… data-snippet=… data-snippet-status=… }
    (superfences' attribute form, which puts data attributes on the block's container). `inc` is the fence as it
    reads now, after other plugins (a ```sigv4 declaration is shown as ```yaml)."""
    fence = re.match(r"^([ \t]*)(`{3,}|~{3,})", line)
    attrs = [f".{inc.lang}"] if inc.lang else []
    # Not `#id`: highlight would prefix every line's three anchors with it, doubling the size of the code's
    # HTML a large site keeps in memory; the id is put on the block when its badge is (on_post_page).
    attrs.append(f'data-snippet-anchor="{status.anchor}"')
    attrs += [f"{key}={_quoted(value, status.include.page, status.include.fence_line)}"
              for key, value in inc.options.items() if key != "not-executable"]
    attrs += [f'data-snippet="{inc.ref}"', f'data-snippet-status="{status.status}"']
    return f"{fence.group(1)}{fence.group(2)} {{ {' '.join(attrs)} }}"
