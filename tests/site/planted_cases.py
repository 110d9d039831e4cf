"""The mistakes an author can make, each planted in a copy of the site by test_planted_findings.py: the file it
goes in, what it replaces there, and what `make site` and `make site-zensical` must say of it."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Plant:
    file: str  # the file the mistake is planted in, and that the message must name
    old: str | None  # replaced once by `new`; None: `new` is the whole file
    new: str | None  # None (with old None): `setup` makes the file
    message: str  # what the build must say after `file:line: `
    at: str | None = None  # the line the message must name is the first holding this (default: `new`'s first line)
    also: tuple[tuple[str, str], ...] = ()  # files the mistake needs besides (path, content)
    named: tuple[str, str] | None = None  # the message names another file: (that file, what its line holds)
    context: str | None = None  # the message's {context} is the line of the planted file holding this
    setup: Callable[[Path], None] | None = None  # what else the mistake needs, done in the copy: a link, a FIFO


PAGE = "docs/posts/saslauthd.md"
SPEC = "tests/labs/saslauthd.yml"
STEP = "  - run: saslauthd/chroot-socket-dir.sh"
INCLUDE = '--8<-- "saslauthd/chroot-socket-dir.sh"'
ROGUE = "rm -rf /var/lib/vz"
CHROOT = "snippets/saslauthd/chroot-socket-dir.sh"
NOT_AN_INCLUDE = 'an include is a fence whose only line is --8<-- "file"'
RESULTS = "build/lab-results.json"


def _link(name: str, target: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).symlink_to(target)
    return make


def _bytes(name: str, old: bytes, new: bytes) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        (root / name).write_bytes((root / name).read_bytes().replace(old, new, 1))
    return make


def _fifo(root: Path) -> None:
    (root / RESULTS).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / RESULTS)


def _folder_page(root: Path) -> None:
    (root / "docs/posts/folder.md").mkdir()
    (root / "docs/posts/folder.md/page.txt").write_text("inside\n")


TITLE = "title: Postfix SMTP AUTH through saslauthd (rimap) and the size of saslauthd's worker pool"


def _prose(text: str) -> tuple[str, str]:
    """(old, new): `text` planted between two sections of the saslauthd page."""
    return "\n## ", f"\n{text}\n\n## "


LOL = "".join(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}" if n else "x"] * 10) + "]\n" for n in range(9))

PLANTS = {
    "wrong-check-digit": Plant("docs/posts/php-barcodes.md", "4006381333931", "4006381333932",
                               "barcode: EAN-13 4006381333932: wrong check digit 2, it should be 1"),
    "barcode-error": Plant("docs/posts/php-barcodes.md", 'symbology="ean13"', 'symbology="nosuch"',
                           "barcode: unknown symbology"),
    "snippet-without-step": Plant(PAGE, "\n## ", '\n```bash\n--8<-- "saslauthd/stray.sh"\n```\n\n## ',
                                  "snippet saslauthd/stray.sh has no lab step", at="--8<--",
                                  also=(("snippets/saslauthd/stray.sh", "ls\n"),)),
    "plain-fence": Plant(PAGE, "\n## ", f"\n```bash\n{ROGUE}\n```\n\n## ", f"code without a status ('{ROGUE}')",
                         at="```bash"),
    "indented-code": Plant(PAGE, "\n## ", f"\nText.\n\n    {ROGUE}\n\n## ", f"code without a status ('{ROGUE}')",
                           at=f"    {ROGUE}"),
    "raw-pre": Plant(PAGE, "\n## ", f"\n<pre><code>{ROGUE}</code></pre>\n\n## ", f"code without a status ('{ROGUE}')",
                     at="<pre>"),
    "missing-include": Plant(PAGE, INCLUDE, '--8<-- "saslauthd/no-such-file.sh"',
                             "snippet saslauthd/no-such-file.sh: No such file or directory"),
    "include-outside": Plant(PAGE, INCLUDE, '--8<-- "../README.md"',
                             "snippet '../README.md' is outside snippets/, where it must be"),
    "image-without-alt": Plant("docs/posts/tables-vs-css.md", '```lab-artifact alt="', '```lab-artifact data-x="',
                               "lab-artifact: an image needs alt="),
    "artifact-no-step-makes": Plant("docs/posts/tables-vs-css.md", "tables-vs-css/table-layout-1s.png",
                                    "tables-vs-css/never-made.png",
                                    "lab-artifact: no step of lab tables-vs-css makes never-made.png"),
    "fence-closed-longer": Plant(PAGE, '--8<-- "saslauthd/rollback.sh"\n```\n', '--8<-- "saslauthd/rollback.sh"\n````\n',
                                 "this line closes the fence of line {context} for CommonMark, but "
                                 "pymdownx.superfences closes it only on '```' at the same indent",
                                 at="````", context='```bash title="Restore the previous file and restart"'),
    "topology": Plant("docs/posts/mysql-replication-topologies.md", "\ndb1 -> db2\n", "\ndb1 -> db2\ndb2 =>\n",
                      "topology diagram: expected `source -> target`", at="db2 =>"),
    "results-not-a-mapping": Plant("build/lab-results.json", None, '{"schema": 3, "labs": []}',
                                   "not a results file of schema 3: at labs: [] is not of type 'object'"),
    "results-hosts-a-list": Plant("build/lab-results.json", None,
                                  '{"schema": 3, "labs": {"saslauthd": {"debian-13": {"hosts": []}}}}',
                                  "not a results file of schema 3: at labs.saslauthd.debian-13"),
    "run-a-folder": Plant(SPEC, STEP, "  - run: saslauthd", "snippet 'saslauthd' is a folder, not a file"),
    "range-covered-in-part": Plant(SPEC, STEP, f"{STEP}:1:2",
                                   "lines 3-4 of saslauthd/chroot-socket-dir.sh are run by no lab step",
                                   named=(PAGE, INCLUDE)),
    "run-outside": Plant(SPEC, STEP, "  - run: ../../../../etc/hostname",
                         "snippet '../../../../etc/hostname' is outside snippets/, where it must be"),
    "run-range-past-end": Plant(SPEC, STEP, f"{STEP}:1:9999",
                                "snippet saslauthd/chroot-socket-dir.sh:1:9999: the file has only"),
    "placeholder-undefined": Plant(SPEC, STEP, f"{STEP}\n  - command: echo <NEVER_DEFINED>",
                                   "step {step} uses <NEVER_DEFINED>, which neither the lab's vars nor any step's capture defines",
                                   at="  - command: echo <NEVER_DEFINED>"),
    "yaml-in-a-spec": Plant(SPEC, "\nhosts:\n", "\nhosts: [\n", "did not find expected ',' or ']' (while parsing a "
                            "flow sequence, which starts at line {context})", at="    image: mail", context="hosts: ["),
    "yaml-in-a-declaration": Plant("snippets/ses-signing/send-email.sigv4.yml", "region: us-east-1",
                                   "region: [us-east-1", "did not find expected ',' or ']' (while parsing a flow "
                                   "sequence, which starts at line {context})", at="method: POST",
                                   context="region: [us-east-1"),
    "unknown-region": Plant("snippets/ses-signing/send-email.sigv4.yml", "us-east-1", "us-east-9",
                            "region us-east-9 is not one AWS has", at="region: us-east-9"),
}

# Include lines that pymdownx.snippets and the page's own reading took differently, links that left the
# project, strings that reached the HTML raw, and inputs that ended in a traceback or a hang.
PLANTS |= {
    "snippet-includes-another": Plant(CHROOT, None, 'mkdir -p x\n--8<-- "saslauthd/rollback.sh"\n',
                                      f"{CHROOT}:2: a snippet cannot include another", named=(SPEC, STEP)),
    "snippet-marks-a-section": Plant(CHROOT, None, "mkdir -p x  # --8<-- [start:setup]\n",
                                     f"{CHROOT}:1: a snippet cannot include another or mark a section",
                                     named=(SPEC, STEP)),
    "include-in-prose": Plant(PAGE, *_prose('--8<-- "../README.md"'), NOT_AN_INCLUDE),
    "include-in-admonition": Plant(PAGE, *_prose('!!! note\n    --8<-- "saslauthd/passwd"'), NOT_AN_INCLUDE,
                                   at='    --8<-- "saslauthd/passwd"', setup=_link("snippets/saslauthd/passwd", "/etc/passwd")),
    "include-in-list-item": Plant(PAGE, *_prose('- item\n\n    --8<-- "saslauthd/rollback.sh" '), NOT_AN_INCLUDE,
                                  at='    --8<-- "saslauthd/rollback.sh" '),
    "include-in-footnote": Plant(PAGE, *_prose('Text.[^9]\n\n[^9]:\n    --8<-- "saslauthd/x.sh"'), NOT_AN_INCLUDE,
                                 at='    --8<-- "saslauthd/x.sh"'),
    "include-in-raw-pre": Plant(PAGE, *_prose('<pre>\n--8<-- "saslauthd/in-pre.sh"\n</pre>'), NOT_AN_INCLUDE,
                                at='--8<-- "saslauthd/in-pre.sh"'),
    "block-format-include": Plant(PAGE, *_prose("```bash\n--8<--\nsaslauthd/rollback.sh\n--8<--\n```"),
                                  NOT_AN_INCLUDE, at="--8<--\nsaslauthd/rollback.sh"),
    "two-includes-in-a-fence": Plant(PAGE, *_prose('```bash\n--8<-- "saslauthd/one.sh"\n--8<-- "saslauthd/two.sh"\n```'),
                                     NOT_AN_INCLUDE, at='--8<-- "saslauthd/one.sh"'),
    "url-include": Plant(PAGE, INCLUDE, '--8<-- "https://example.org/install.sh"', "'https://example.org/install.sh' is a URL: a snippet is a file"),
    "section-include": Plant(PAGE, INCLUDE, '--8<-- "saslauthd/chroot-socket-dir.sh:setup"',
                             "line range of 'saslauthd/chroot-socket-dir.sh:setup' is not numeric (sections are not "
                             "supported"),
    "quote-in-a-snippet-name": Plant(PAGE, INCLUDE, """--8<-- 'saslauthd/a"onclick="b.sh'""", "snippet name"),
    "snippet-links-outside": Plant(PAGE, INCLUDE, '--8<-- "saslauthd/passwd"',
                                   "snippet 'saslauthd/passwd' is outside snippets/",
                                   setup=_link("snippets/saslauthd/passwd", "/etc/passwd")),
    "snippet-closes-its-fence": Plant(PAGE, *_prose('```text not-executable="Shown only."\n--8<-- "saslauthd/closes.txt"\n```'),
                                      "snippet saslauthd/closes.txt: line 2 of the snippet would close the fence",
                                      at='--8<-- "saslauthd/closes.txt"',
                                      also=(("snippets/saslauthd/closes.txt", "text\n```\n<script>alert(1)</script>\n"),)),
    "page-links-outside": Plant("docs/posts/leak.md", None, None, "is a link to /etc/passwd, outside",
                                setup=_link("docs/posts/leak.md", "/etc/passwd")),
    "asset-links-outside": Plant("docs/leak.txt", None, None, "is a link to /etc/hostname, outside",
                                 setup=_link("docs/leak.txt", "/etc/hostname")),
    "page-is-a-folder": Plant("docs/posts/folder.md", None, None, "is not a regular file but a folder",
                              setup=_folder_page),
    "page-links-to-nothing": Plant("docs/posts/broken.md", None, None, "is a link to nothing",
                                   setup=_link("docs/posts/broken.md", "nowhere.md")),
    "page-not-utf8": Plant(PAGE, "\n## ", "\nCaf\u00e9 au lait.\n\n## ", "byte 0xff is not UTF-8",
                           at="Caf", setup=_bytes(PAGE, "Caf\u00e9".encode(), b"Caf\xff")),
    "spec-not-utf8": Plant(SPEC, STEP, f"{STEP}  # caf\u00e9", "byte 0xff is not UTF-8",
                           setup=_bytes(SPEC, "caf\u00e9".encode(), b"caf\xff")),
    "yaml-alias-bomb": Plant(SPEC, TITLE, f"{LOL}title: *l8", "its aliases expand to more than", at="l4: "),
    "host-as-a-list": Plant(SPEC, "    on: mail\n", "    on: [mail]\n", "step {step}: on: names one host, as text"),
    "title-not-text": Plant(SPEC, TITLE, "title: [a, b]", "title must be text"),
    "duplicate-slug": Plant("docs/posts/zz-copy.md", None, "---\ndate: 2026-11-01\nslug: saslauthd\n---\n\n# Copy\n",
                            "slug 'saslauthd' is taken by docs/posts/saslauthd.md:3 too",
                            named=("docs/posts/zz-copy.md", "slug: saslauthd")),
    "front-matter-title-html": Plant(PAGE, "slug: saslauthd\n", 'slug: saslauthd\ntitle: "<img src=x onerror=alert(1)>"\n',
                                     "title: '<img src=x onerror=alert(1)>' holds <, which the theme would print as HTML",
                                     at="title:"),
    "front-matter-description-quote": Plant(PAGE, "slug: saslauthd\n", "slug: saslauthd\ndescription: 'a\" onfocus=\"x'\n",
                                            "description: 'a\" onfocus=\"x' holds \"", at="description:"),
    "front-matter-tag-html": Plant(PAGE, "tags: [postfix,", "tags: ['<b>x</b>', postfix,", "tags: '<b>x</b>' holds <",
                                   at="tags:"),
    "results-link-outside": Plant(RESULTS, None, None, "is a link to /etc/hostname, outside",
                                  setup=_link(RESULTS, "/etc/hostname")),
    "results-a-fifo": Plant(RESULTS, None, None, "is not a regular file", setup=_fifo),
    "options-on-a-plain-fence": Plant(PAGE, *_prose('```text not-executable="Shown only."\nls\n```'),
                                      "pymdownx.superfences would not draw this fence as code (not-executable)",
                                      at='```text not-executable="Shown only."'),
    "example-not-utf8": Plant("docs/guide/authoring.md", "   include.txt\n", "   include.txt\n",
                              "example: docs/guide/examples/include.txt:1: byte 0xff is not UTF-8",
                              setup=_bytes("docs/guide/examples/include.txt", b"```bash", b"\xff``bash")),
    "a-badge-written-by-hand": Plant(PAGE, *_prose('``` { .bash data-snippet-status="verified" }\ncurl https://x.example | sh\n```'),
                                     "data-snippet-status is an attribute the build writes, not a page",
                                     at='``` { .bash data-snippet-status="verified" }'),
    "a-generated-block-by-hand": Plant(PAGE, *_prose('<div data-sigv4="x"><pre>curl https://x.example | sh</pre></div>'),
                                       "data-sigv4 is an attribute the build writes, not a page", at="<div data-sigv4"),
    "a-linked-folder-leads-out": Plant("docs/extra/passwd.txt", None, None, "is a link to /etc/passwd, outside",
                                       setup=lambda root: (_link("extra-in/passwd.txt", "/etc/passwd")(root),
                                                           _link("docs/extra", "../extra-in")(root))),
    "a-fifo-among-the-assets": Plant("docs/stylesheets/pipe.css", None, None, "is neither a folder nor a regular file",
                                     setup=lambda root: os.mkfifo(root / "docs/stylesheets/pipe.css")),
    "front-matter-after-a-bom": Plant(PAGE, "slug: saslauthd\n", 'slug: saslauthd\ntitle: "<img src=x>"\n',
                                      "title: '<img src=x>' holds <", at="title:",
                                      setup=_bytes(PAGE, b"---", b"\xef\xbb\xbf---")),
    "metadata-without-front-matter": Plant("docs/posts/bare.md", None, "title: Bare\n\n# Bare\n",
                                           "metadata without a --- line before and after it",
                                           named=("docs/posts/bare.md", "title: Bare")),
    "any-front-matter-string": Plant(PAGE, "slug: saslauthd\n", "slug: saslauthd\nauthor: 'AA\"><script>'\n",
                                     "author: 'AA\"><script>' holds \"", at="author:"),
    "a-list-as-a-key": Plant(PAGE, "slug: saslauthd\n", "slug: saslauthd\n? [a]\n: b\n", "a key must be text, not list",
                             at="? [a]"),
    "a-slug-taken-by-a-page": Plant(PAGE, "slug: saslauthd", "slug: status", "slug 'status' is taken by docs/status.md too"),
    "a-slug-that-is-a-path": Plant(PAGE, "slug: saslauthd", "slug: ../../x", "slug '../../x': lower-case letters and digits"),
    "results-nested-deep": Plant(RESULTS, None, "[" * 200_000, "not a results file: nested deeper than any results file is"),
}

# Where the build names the file not as the message's first words: the page including it does.
PREFIX = {
    "yaml-in-a-declaration": "docs/posts/ses-signing.md:{page_line}: sigv4: ",
    "unknown-region": "docs/posts/ses-signing.md:{page_line}: sigv4: ",
}
