"""The site's pages as the build reads them, checked before any is drawn: every file under docs/ resolves inside
the project and is a folder or a regular file, every page is UTF-8 text, its front matter holds nothing a theme
prints as HTML, no page writes the attributes that carry a snippet's status, and each post's slug is a plain
name no other page has (the blog would publish one under the other's address)."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from pymdownx.slugs import slugify

from runbook_kb.errors import SpecError
from runbook_kb.fences import lex
from runbook_kb.layout import Layout
from runbook_kb.textfile import read_text
from runbook_kb.yamlfile import Located, load_yaml_text

# MkDocs' own front matter: a first line of ---, then YAML up to a line of --- or ...
_FRONT = re.compile(r"\A-{3}[ \t]*\n(?P<yaml>.*?\n)?(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
# What Material shows of the page as text (the page header, a meta tag, the tag chips): text it must be.
_PRINTED = ("title", "description")
# Python-Markdown's meta form, which MkDocs also reads: `key: value` lines from the first line on.
_BARE_META = re.compile(r"\A[A-Za-z0-9_-]+:[ \t]*\S")
_UNSAFE = re.compile(r'[<>"]')
POSTS = "posts/"
_SLUG = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
_RESERVED = re.compile(r"\b(data-(?:snippet[\w-]*|sigv4[\w-]*|generated-from|example|runbook[\w-]*))\s*=")
_INLINE_CODE = re.compile(r"(`+).+?\1")
_post_slug = slugify(case="lower")  # Material's blog default (post_slugify)


@dataclass(frozen=True)
class Page:
    name: str  # relative to docs/
    source: str  # the file as written, front matter included
    meta: dict

    def title(self) -> str:
        heading = re.search(r"^#\s+(.+?)\s*#*\s*$", self.source, re.MULTILINE)
        return str(self.meta.get("title") or (heading.group(1) if heading else self.name))


def read_pages(layout: Layout) -> list[Page]:
    _links_stay_inside(layout.docs, layout.root)
    pages = [_read(layout.docs, path) for path in sorted(layout.docs.rglob("*.md"))]
    _slugs_unique(pages)
    return pages


def _links_stay_inside(folder: Path, root: Path) -> None:
    """The generators copy or read whatever docs/ holds, through links and linked folders too: every entry
    resolves inside the project and is a folder or a regular file (a FIFO would hang the copy)."""
    inside, seen = root.resolve(), set()
    for top, dirs, files in os.walk(folder, followlinks=True):
        real = Path(top).resolve()
        if real in seen:  # a link back up: walked once is enough
            dirs[:] = []
            continue
        seen.add(real)
        for name in sorted(dirs + files):
            path = Path(top) / name
            if not path.resolve().is_relative_to(inside):
                raise SpecError(path, None, f"is a link to {path.resolve()}, outside {inside.name}/, and the site "
                                            "would publish it")
            if path.is_symlink() and not path.exists():
                raise SpecError(path, None, "is a link to nothing")
            if not (path.is_dir() or path.is_file()):
                raise SpecError(path, None, "is neither a folder nor a regular file")


def _reserved(path: Path, source: str) -> None:
    """The attributes the build writes to say what backs a block: an author who writes one, in a fence's
    options or in raw HTML, could put a badge's status on any text."""
    content = {n for fence in lex(source) for n in range(fence.first + 1, fence.last + (0 if fence.closed else 1))}
    for number, line in enumerate(source.split("\n"), 1):
        if number - 1 not in content and (found := _RESERVED.search(_INLINE_CODE.sub("", line))):
            raise SpecError(path, number, f"{found[1]} is an attribute the build writes, not a page")


def _read(docs: Path, path: Path) -> Page:
    source = read_text(path, docs.parent)
    _reserved(path, source)
    front = _FRONT.match(source)
    if front is None and _BARE_META.match(source):
        raise SpecError(path, 1, "metadata without a --- line before and after it: MkDocs would read it, Zensical "
                                 "not; write it as YAML front matter")
    meta = load_yaml_text(front["yaml"], path, 2) if front and front["yaml"] and front["yaml"].strip() else Located()
    for key in (*_PRINTED, "tags"):
        if key in meta and not all(isinstance(v, str) and v.strip() for v in _values(meta[key])):
            raise SpecError(path, meta.line_of(key), f"{key}: expected text, found {meta[key]!r}")
    # Material's templates print front matter as it is, wherever a theme or plugin puts it: every string.
    for key in meta:
        for value in _values(meta[key]):
            if isinstance(value, str) and (unsafe := _UNSAFE.search(value)):
                raise SpecError(path, meta.line_of(key), f"{key}: {value!r} holds {unsafe[0]}, which the theme "
                                                         "would print as HTML")
    return Page(path.relative_to(docs).as_posix(), source, meta)


def _values(value) -> list:
    """The scalars under a front matter value, however nested."""
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in (key, *_values(item))]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _values(item)]
    return [value]


def _slugs_unique(pages: list[Page]) -> None:
    """A post's address is its slug (post_url_format "{slug}"): a plain name, and no other page's."""
    seen: dict[str, str] = {}
    for page in pages:
        if not page.name.startswith(POSTS):
            address = page.name.removesuffix(".md").removesuffix("index").rstrip("/")
            seen[address] = f"docs/{page.name}"
    for page in (page for page in pages if page.name.startswith(POSTS)):
        slug = str(page.meta.get("slug") or _post_slug(page.title(), "-"))
        line = page.meta.line_of("slug") if "slug" in page.meta else None
        if not _SLUG.fullmatch(slug):
            raise SpecError(Path("docs") / page.name, line, f"slug {slug!r}: lower-case letters and digits, joined by - _ or .")
        if slug in seen:
            raise SpecError(Path("docs") / page.name, line, f"slug {slug!r} is taken by {seen[slug]} too: the blog "
                                                            "would publish one page at the other's address")
        where = f"docs/{page.name}:{line}" if line else f"docs/{page.name}"
        seen[slug] = where


def main() -> int:
    """`python -m runbook_kb.extensions.pages`: the sources checked before a generator that reads docs/ on its
    own, before any extension runs (Zensical hangs on a FIFO there), is let at them."""
    try:
        read_pages(Layout.of(Path.cwd()))
    except SpecError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
