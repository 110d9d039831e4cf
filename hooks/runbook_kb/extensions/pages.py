"""The site's pages as the build reads them, checked before any is drawn: every file under docs/ resolves inside
the project, every page is a UTF-8 regular file, its front matter holds nothing a theme prints as HTML, and no
two posts share a slug (the blog would publish one under the other's address)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from pymdownx.slugs import slugify

from runbook_kb.errors import SpecError
from runbook_kb.layout import Layout
from runbook_kb.textfile import read_text
from runbook_kb.yamlfile import Located, load_yaml_text

# MkDocs' own front matter: a first line of ---, then YAML up to a line of --- or ...
_FRONT = re.compile(r"\A-{3}[ \t]*\n(?P<yaml>.*?\n)?(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
# Material's templates print these as they are: in the page header, a meta tag, the tag chips.
_PRINTED = ("title", "description")
_UNSAFE = re.compile(r'[<>"]')
POSTS = "posts/"
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
    """The generators copy or read whatever docs/ holds, through links too."""
    for top, dirs, files in os.walk(folder):
        for name in sorted(dirs + files):
            path = Path(top) / name
            if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
                raise SpecError(path, None, f"is a link to {path.resolve()}, outside {root.resolve().name}/, "
                                            "and the site would publish it")


def _read(docs: Path, path: Path) -> Page:
    source = read_text(path, docs.parent)
    front = _FRONT.match(source)
    meta = load_yaml_text(front["yaml"], path, 2) if front and front["yaml"] and front["yaml"].strip() else Located()
    for key in (*_PRINTED, "tags"):
        if key not in meta:
            continue
        values = meta[key] if key == "tags" and isinstance(meta[key], list) else [meta[key]]
        for value in values:
            if not isinstance(value, str) or not value.strip():
                raise SpecError(path, meta.line_of(key), f"{key}: expected text, found {value!r}")
            if _UNSAFE.search(value):
                raise SpecError(path, meta.line_of(key), f"{key}: {value!r} holds {_UNSAFE.search(value)[0]}, "
                                                         "which the theme would print as HTML")
    return Page(path.relative_to(docs).as_posix(), source, meta)


def _slugs_unique(pages: list[Page]) -> None:
    seen: dict[str, Page] = {}
    for page in (page for page in pages if page.name.startswith(POSTS)):
        slug = str(page.meta.get("slug") or _post_slug(page.title(), "-"))
        if slug in seen:
            first = seen[slug]
            where = f"docs/{first.name}:{first.meta.line_of('slug')}" if "slug" in first.meta else f"docs/{first.name}"
            raise SpecError(Path("docs") / page.name, page.meta.line_of("slug") if "slug" in page.meta else None,
                            f"slug {slug!r} is taken by {where} too: the blog would publish one post at the "
                            "other's address")
        seen[slug] = page
