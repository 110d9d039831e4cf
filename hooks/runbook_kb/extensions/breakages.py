"""```breakage-report fences → every signed mutation run of the site, in Stryker's mutation-testing report
schema, drawn by its `mutation-testing-elements` web component. The site serves the component itself (from
npm, pinned by the Makefile): a reader's browser asks no CDN for it."""

from __future__ import annotations

import hashlib
import json

from runbook_kb.fences import Fence
from runbook_kb.mutation import report
from runbook_kb.verification.html import text as escape

from . import generator, state

ASSETS = "assets/breakages"  # inside the site
COMPONENT = "node-report/node_modules/mutation-testing-elements/dist/mutation-test-elements.js"  # under build/


# The component picks its theme from the system's; the reader may have picked the other on Material's palette.
FOLLOW_PALETTE = ("(() => { const app = document.querySelector('mutation-test-report-app'); const follow = () => "
                  "{ app.theme = document.body.dataset.mdColorScheme === 'slate' ? 'dark' : 'light'; }; follow(); "
                  "new MutationObserver(follow).observe(document.body, {attributes: true, "
                  "attributeFilter: ['data-md-color-scheme']}); })();")


def draw(md, site, where: str, line: int, fence: Fence) -> str:
    script = site.layout.build / COMPONENT
    if not script.is_file():
        message = (f"{where}:{line}: breakage-report: {script.relative_to(site.layout.root)} is missing; `make "
                   "site` and `make serve` install it from npm")
        state.report(md, message)
        return f'!!! failure "Breakage report not shown"\n    {escape(message)}\n'
    data = json.dumps(report.report(site.mutations, site.layout), ensure_ascii=False, sort_keys=True)
    stored = site.layout.build / "cache" / "breakages" / f"{hashlib.sha256(data.encode()).hexdigest()[:16]}.json"
    if not stored.exists():  # by content: a page conversion that finds it has nothing to write
        stored.parent.mkdir(parents=True, exist_ok=True)
        tmp = stored.with_suffix(".tmp")
        tmp.write_text(data, encoding="utf-8")
        tmp.replace(stored)
    note = "" if site.mutations else (
        '!!! info "No breakage run yet"\n    `make mutants` has not run on the labs as they are now, or its '
        "results are not signed by a key this site trusts.\n\n")
    source = generator.asset_url(md, f"{ASSETS}/report.json", stored)
    component = generator.asset_url(md, f"{ASSETS}/mutation-test-elements.js", script)
    return (f'{note}<div class="breakage-report">\n<mutation-test-report-app src="{escape(source)}" '
            f'title-postfix="Breakage report"></mutation-test-report-app>\n'
            f'<script src="{escape(component)}"></script>\n<script>{FOLLOW_PALETTE}</script>\n</div>\n')
