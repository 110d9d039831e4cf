"""What every page of one build shares: the labs, the results that count, each included snippet's status,
each runbook's one-line summary and the status page. Worked out once per build, at its first page, from the
sources on disk (every page is read, so the status page lists them all whichever page comes first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from runbook_kb.errors import SpecError
from runbook_kb.fences import find
from runbook_kb.includes import FenceError, Include, scan, stray_markers
from runbook_kb.lab.releases import Release, load_releases
from runbook_kb.lab.results import load_results
from runbook_kb.lab.spec import Lab, load_labs
from runbook_kb.lab.trust import Vetted, vet
from runbook_kb.layout import Layout
from runbook_kb.mutation import results as mutation_results
from runbook_kb.textfile import read_text
from runbook_kb.verification import claims, statuspage, summary
from runbook_kb.verification.claims import Claim, ClaimError
from runbook_kb.verification.status import Problem, SnippetStatus, resolve

from . import generator
from .pages import read_pages
from .generator import Finding


@dataclass
class Site:
    layout: Layout
    labs: dict[str, Lab]
    releases: tuple[Release, ...]
    vetted: Vetted
    statuses: dict[str, list[SnippetStatus]]  # page → its includes' statuses, in page order
    summaries: dict[str, str]  # page → "Verified on Debian 13.8 and 12.15, 2 Dec 2026."
    status_page: str  # the status page's Markdown
    problems: list[Problem]  # not fatal: each is reported once per build
    bench_figures: str | None  # the table the last `make bench` on this machine wrote
    page_labs: dict[str, set[str]]  # page → the labs its snippets and lab-artifact fences come from
    sources: dict[str, str]  # page → its file as written, front matter included: what findings count lines in
    mutations: dict  # Run → MutationRun: the signed mutation runs on the labs' current inputs
    claims: dict[str, list[Claim]]  # page → the lab steps its prose names, in page order
    found_artifacts: dict = field(default_factory=dict)  # reference → Artifact or its error, hashed once
    reported: set[str] = field(default_factory=set)  # findings already reported in this build


    def page_key(self, page: str) -> str:
        """Everything of the site a conversion of `page` reads: unchanged, the conversion is too. A page reads
        the labs its snippets and its lab artifacts come from; one that reads none draws the whole site's (the
        status page) or this machine's bench figures."""
        labs = self.page_labs.get(page, set())
        runs = sorted((str(run), repr(result)) for run, result in self.vetted.results.items() if run.lab in labs)
        declared = sorted((name, sorted(made for step in self.labs[name].steps for made in step.artifact_names))
                          for name in labs if name in self.labs)
        whole = None if labs else (self.status_page, self.bench_figures, sorted(map(repr, self.mutations.values())))
        return repr((self.statuses.get(page), self.summaries.get(page), runs, declared, whole))


class _Build:
    """The Site of the build under way. A build starts afresh when the MkDocs plugin says so (a rebuild in
    `mkdocs serve`) or when a results file changed, which is what a lab or mutation run changes."""

    def __init__(self):
        self.site: Site | None = None
        self.results_stamp = None
        self.error: str | None = None

    def new(self) -> None:
        self.site = self.error = None

    def get(self, layout: Layout) -> Site:
        stamp = _stamp(layout.results), _stamp(layout.mutation_results)
        if stamp != self.results_stamp or (self.site is not None and self.site.layout != layout):
            self.new()
            self.results_stamp = stamp
        if self.site is None and self.error is None:
            try:
                self.site = _load(layout)
            except (SpecError, Finding) as exc:
                self.error = str(exc)
        if self.error is not None:
            raise Finding(self.error)
        return self.site


build = _Build()


def _stamp(path: Path):
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _load(layout: Layout) -> Site:
    labs = load_labs(layout.labs, layout.snippets)
    releases = load_releases(layout.releases)
    vetted = vet(load_results(layout.results, layout.root), labs, layout)
    includes: dict[str, list[Include]] = {}
    titles: dict[str, str] = {}
    page_labs: dict[str, set[str]] = {}
    sources: dict[str, str] = {}
    report_page = None  # the page that draws the breakage report, which the status page links to
    for read in read_pages(layout):
        page, source = read.name, read.source
        sources[page] = source
        try:
            found, _ = scan(page, source)
            stray_markers(page, source, found)
        except FenceError as exc:
            raise Finding(f"docs/{exc}") from None
        if report_page is None and find(source, "breakage-report"):
            report_page = page
        if found:
            includes[page] = found
            titles[page] = read.title()
        page_labs[page] = {inc.ref.runbook for inc in found} | {
            fence.body.strip().split("/", 1)[0] for fence in find(source, "lab-artifact")}
    mutations = mutation_results.vet(mutation_results.load(layout.mutation_results), labs, layout)
    statuses, problems = resolve(includes, labs, vetted, layout.snippets, mutations)
    if fatal := [problem for problem in problems if problem.fatal]:
        raise Finding("\n".join(str(problem) for problem in fatal))
    by_page: dict[str, list[SnippetStatus]] = {}
    for status in statuses:
        by_page.setdefault(status.include.page, []).append(status)
    by_name = {lab.name: lab for lab in labs}
    try:
        marked = {page: claims.find(f"docs/{page}", source,
                                    by_name.get(includes[page][0].ref.runbook) if page in includes else None, vetted)
                  for page, source in sources.items()}
    except ClaimError as exc:
        raise Finding(str(exc)) from None
    summaries = {page: summary.summary(by_name.get(rows[0].include.ref.runbook), releases, vetted)
                 for page, rows in by_page.items()}
    return Site(layout, by_name, releases, vetted, by_page, summaries,
                statuspage.render(statuses, labs, releases, vetted, titles, layout.results, mutations, report_page),
                problems,
                read_text(layout.bench, layout.root) if layout.bench.exists() else None, page_labs, sources, mutations,
                {page: found for page, found in marked.items() if found})


def report(md, message: str) -> None:
    """A finding once per build, however many times its page is converted (blog excerpts)."""
    site = build.site
    if site is None or message not in site.reported:
        if site is not None:
            site.reported.add(message)
        generator.warn(md, message)
