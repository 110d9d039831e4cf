"""The core must not depend on a site generator or on Python-Markdown: only the adapters may import them."""

import ast
from pathlib import Path

import runbook_kb

PACKAGE = Path(runbook_kb.__file__).parent
# Everything but the adapters, which are the only place a site generator's modules may be imported.
ADAPTERS = {"mkdocs_plugins", "extensions"}
CORE = [path for path in PACKAGE.rglob("*.py") if path.relative_to(PACKAGE).parts[0] not in ADAPTERS]


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_has_no_site_generator_imports():
    offenders = {
        str(path): sorted(imported_modules(path) & {"mkdocs", "material", "pymdownx", "markdown"})
        for path in CORE
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len(CORE) > 10
