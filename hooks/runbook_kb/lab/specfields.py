"""Typed values read from a lab spec's YAML mappings; each mistake is a SpecError naming file and line."""

from __future__ import annotations

from pathlib import Path

from ..errors import SpecError
from ..mutation.operators import candidates
from ..snippets import SnippetRef, read_snippet
from ..yamlfile import Located


def reject_unknown(path: Path, data: Located, allowed: set[str], what: str) -> None:
    for key in data:
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            raise SpecError(path, data.line_of(key), f"unknown {what} key {key!r} (known: {known})")


def mapping(path: Path, data: Located, key: str) -> Located:
    value = data.get(key)
    if value is None:
        return Located()
    if not isinstance(value, dict):
        raise SpecError(path, data.line_of(key), f"{key} must be a mapping")
    return value


def strings(path: Path, raw: Located, key: str) -> tuple[str, ...]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(path, raw.line_of(key), f"{key} must be a list of strings")
    return tuple(value)


def text(path: Path, raw: Located, key: str, required: str | None = None) -> str:
    value = raw.get(key)
    if value is None and required:
        raise SpecError(path, raw.line, required)
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise SpecError(path, raw.line_of(key), f"{key} must be text")
    return str(value)


def command(path: Path, raw: Located, key: str, required: str | None = None) -> str:
    """A command a step runs: text, and something to run."""
    value = text(path, raw, key, required)
    if not value.strip():
        raise SpecError(path, raw.line_of(key), f"{key} is empty: give the command to run")
    return value


def positive(path: Path, raw: Located, key: str, what: str) -> float:
    value = raw[key]
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        raise SpecError(path, raw.line_of(key), f"{key} must be a positive number of {what}")
    return float(value)


def equivalents(path: Path, raw: Located, ref: SnippetRef | None, snippets_dir: Path) -> tuple[tuple[str, str], ...]:
    """`equivalent: {mutant id: reason}`: mutants of the step's snippet that no observation could tell from it,
    each with the reason readers see in the report. A mutant the operators do not make is a stale entry."""
    declared = raw["equivalent"]
    if ref is None or not isinstance(declared, dict):
        raise SpecError(path, raw.line_of("equivalent"), "equivalent maps mutant ids of the step's snippet to reasons")
    made = {m.id for m in candidates(ref.path, read_snippet(snippets_dir, SnippetRef(ref.path)).text)}
    for mutant, reason in declared.items():
        if mutant not in made:
            raise SpecError(path, declared.line_of(mutant), f"equivalent: no mutant {mutant} of {ref.path}")
        if not isinstance(reason, str) or not reason.strip():
            raise SpecError(path, declared.line_of(mutant), f"equivalent: {mutant} needs the reason, as text")
    return tuple((str(mutant), reason) for mutant, reason in declared.items())


def snippet(path: Path, raw: Located, key: str, snippets_dir: Path) -> SnippetRef:
    line = raw.line_of(key)
    try:
        ref = SnippetRef.parse(str(raw[key]))
        read_snippet(snippets_dir, ref)
    except FileNotFoundError:
        raise SpecError(path, line, f"no snippet file {snippets_dir / str(raw[key]).split(':')[0]}") from None
    except OSError as exc:
        raise SpecError(path, line, f"snippet {raw[key]}: {exc.strerror}") from None
    except ValueError as exc:
        raise SpecError(path, line, str(exc)) from None
    return ref
