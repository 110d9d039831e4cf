"""The ways an author breaks a snippet, one small class each, in one registry (OPERATORS), as the step kinds are.

Each operator reads one line of a snippet at a time and proposes replacements of a span of it, the way an
author slips: a line left out, a number off by one, a comparison or a flag swapped, a pipeline stage or a
condition dropped, a path, a unit or a configuration key mistyped, a pattern loosened. The families follow
Stryker's catalogue (arithmetic, equality, logical, conditional, regex) and universalmutator's line-based,
regular-expression rules, rewritten for what runbooks hold: shell, SQL, configuration files and output.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

SHELL, SQL, CONFIG, PHP, TEXT = "shell", "sql", "config", "php", "text"
_LANGUAGES = {".sh": SHELL, ".bash": SHELL, ".cmd": SHELL, ".sql": SQL, ".cnf": CONFIG, ".cf": CONFIG,
              ".conf": CONFIG, ".ini": CONFIG, ".yml": CONFIG, ".yaml": CONFIG, ".php": PHP, ".py": SHELL}
_COMMENT = {SHELL: ("#",), SQL: ("--", "#"), CONFIG: ("#", ";"), PHP: ("//", "#", "/*", "*")}
# Lines whose loss only breaks the syntax, which any run notices at once: they would spend a mutant for nothing.
_SYNTAX_ONLY = re.compile(r"^\s*(?:fi|done|esac|;;|then|do|else|\}|\)|\);?|EOF|END|end|<\?php|\?>|BEGIN|COMMIT;?)\s*$")


def language(path: str) -> str:
    """By the file's suffix; a file with none is configuration, as /etc/default's are."""
    name = path.rsplit("/", 1)[-1]
    return _LANGUAGES.get(name[name.rfind("."):], TEXT) if "." in name else CONFIG


@dataclass(frozen=True)
class Mutation:
    """One change to one line: columns start..end (0-based, end exclusive) become `replacement`; a deleted
    line is the whole line replaced by nothing, and removed."""

    operator: str
    line: int  # 1-based, in the snippet file
    start: int
    end: int
    replacement: str
    deletes_line: bool = False
    ordinal: int = 1  # among this operator's mutations of this line, left to right

    @property
    def id(self) -> str:
        """Stable while the line stays where it is: `number@12`, `option@3#2`. Declarations of equivalent
        mutants name them so."""
        return f"{self.operator}@{self.line}" + (f"#{self.ordinal}" if self.ordinal > 1 else "")

    def apply(self, text: str) -> str:
        lines = text.split("\n")
        row = lines[self.line - 1]
        if self.deletes_line:
            del lines[self.line - 1]
        else:
            lines[self.line - 1] = row[: self.start] + self.replacement + row[self.end :]
        return "\n".join(lines)

    def describe(self, text: str) -> str:
        row = text.split("\n")[self.line - 1]
        if self.deletes_line:
            return f"line {self.line} deleted: {row.strip()}"
        return f"line {self.line}: {row[self.start:self.end]!r} → {self.replacement!r}"


class Operator:
    name: ClassVar[str]
    summary: ClassVar[str]
    languages: ClassVar[frozenset[str]] = frozenset({SHELL, SQL, CONFIG, PHP, TEXT})

    def candidates(self, number: int, line: str, lang: str) -> Iterator[Mutation]:
        raise NotImplementedError

    def _subs(self, number: int, line: str, pattern: re.Pattern, replace) -> Iterator[Mutation]:
        """A mutation at each match of `pattern` whose replacement (a function of the match) differs from it."""
        for match in pattern.finditer(line):
            new = replace(match)
            if new is not None and new != match.group(0):
                yield Mutation(self.name, number, match.start(), match.end(), new)


class DeleteLine(Operator):
    name, summary = "delete-line", "a line left out"

    def candidates(self, number, line, lang):
        if line.strip() and not _SYNTAX_ONLY.match(line):
            yield Mutation(self.name, number, 0, len(line), "", deletes_line=True)


class ChangeNumber(Operator):
    name, summary = "number", "a number, a size or a count off by one"
    _NUMBER = re.compile(r"(?<![\w.])\d+(?![\d.]*\d)")

    def candidates(self, number, line, lang):
        yield from self._subs(number, line, self._NUMBER, lambda m: str(int(m.group(0)) + 1))


class SwapComparison(Operator):
    name, summary = "comparison", "a comparison or a logical operator swapped"
    _SWAPS = {"-eq": "-ne", "-ne": "-eq", "-lt": "-le", "-le": "-lt", "-gt": "-ge", "-ge": "-gt", "==": "!=",
              "!=": "==", "<=": "<", ">=": ">", "&&": "||", "||": "&&", "-z": "-n", "-n": "-z", "<>": "="}
    _SHELL = re.compile(r"(?<=\s)(?:-eq|-ne|-lt|-le|-gt|-ge|-z|-n)(?=\s)|==|!=|&&|\|\|")
    _SQL = re.compile(r"(?<=\s)(?:<>|<=|>=|!=|AND|OR|IS NOT|IS)(?=\s)", re.IGNORECASE)
    _SQL_SWAPS = {"and": "OR", "or": "AND", "is not": "IS", "is": "IS NOT"}

    def candidates(self, number, line, lang):
        if lang == SQL:
            yield from self._subs(number, line, self._SQL, lambda m: self._SQL_SWAPS.get(
                m.group(0).lower(), self._SWAPS.get(m.group(0))))
        elif lang in (SHELL, PHP):
            yield from self._subs(number, line, self._SHELL, lambda m: self._SWAPS.get(m.group(0)))


class _Removal(Operator):
    """Each span its `pattern` matches, left out."""

    pattern: ClassVar[re.Pattern]

    def candidates(self, number, line, lang):
        yield from self._subs(number, line, self.pattern, lambda m: "")


class DropOption(_Removal):
    name, summary = "option", "a command-line flag or option left out"
    languages = frozenset({SHELL})
    pattern = re.compile(r"\s--?[A-Za-z][\w-]*(?:=(?:'[^']*'|\"[^\"]*\"|\S+))?(?=\s|$)")


class DropPipelineStage(_Removal):
    name, summary = "pipeline-stage", "a stage of a pipeline left out"
    languages = frozenset({SHELL})
    pattern = re.compile(r"\s*(?<!\|)\|(?!\|)[^|]*?(?=\s*(?<!\|)\|(?!\|)|$|\s*[;&)])")


class DropCondition(Operator):
    name, summary = "condition", "a WHERE or AND condition left out"
    languages = frozenset({SQL})
    _CONDITION = re.compile(r"\s+(?:WHERE|AND)\s+.+?(?=\s+(?:AND|OR|ORDER|GROUP|LIMIT|HAVING)\b|\s*;|$)", re.IGNORECASE)

    def candidates(self, number, line, lang):
        for match in self._CONDITION.finditer(line):
            kept = " WHERE 1" if match.group(0).strip().upper().startswith("WHERE") else ""
            yield Mutation(self.name, number, match.start(), match.end(), kept)


class ConfigKey(Operator):
    name, summary = "config-key", "a configuration key mistyped"
    languages = frozenset({CONFIG, SHELL})
    _KEY = {CONFIG: re.compile(r"^\s*([A-Za-z_][\w.-]*[A-Za-z_])(?=\s*[=:]|\s+\S)"),
            SHELL: re.compile(r"^\s*(?:export\s+)?([A-Z][A-Z0-9_]*[A-Z])(?==)")}

    def candidates(self, number, line, lang):
        # A letter goes missing from the middle, not the end: MySQL and MariaDB read a unique prefix of an
        # option name as the option, so a key cut short would be the same key to them.
        if (match := self._KEY[lang].match(line)) and not line.lstrip().startswith("["):
            key, middle = match.group(1), len(match.group(1)) // 2
            yield Mutation(self.name, number, match.start(1), match.end(1), key[:middle] + key[middle + 1:])


class ConfigValue(Operator):
    name, summary = "config-value", "a yes/no, on/off or true/false setting flipped"
    languages = frozenset({CONFIG})
    _FLIPS = {"yes": "no", "no": "yes", "on": "off", "off": "on", "true": "false", "false": "true"}
    _VALUE = re.compile(r"(?<=[=\s])(?:yes|no|on|off|true|false)\b", re.IGNORECASE)

    def candidates(self, number, line, lang):
        yield from self._subs(number, line, self._VALUE, self._flip)

    def _flip(self, match: re.Match) -> str:
        old = match.group(0)
        new = self._FLIPS[old.lower()]
        return new.upper() if old.isupper() else new.capitalize() if old[0].isupper() else new


class ChangePath(Operator):
    name, summary = "path", "a path one folder short"
    _PATH = re.compile(r"(?<![\w:/.])(/[\w.@+-]+){2,}/?")

    def candidates(self, number, line, lang):
        yield from self._subs(number, line, self._PATH, lambda m: m.group(0).rstrip("/").rsplit("/", 1)[0])


class ChangeUnit(Operator):
    name, summary = "unit", "a size or time in the wrong unit"
    _UNIT = re.compile(r"(?<=\d)(K|M|G|T|KiB|MiB|GiB|k|ms|s|min|h)\b")
    _SMALLER = {"K": "", "M": "K", "G": "M", "T": "G", "KiB": "B", "MiB": "KiB", "GiB": "MiB", "k": "",
                "ms": "us", "s": "ms", "min": "s", "h": "min"}

    def candidates(self, number, line, lang):
        yield from self._subs(number, line, self._UNIT, lambda m: self._SMALLER[m.group(0)])


class LoosenPattern(Operator):
    name, summary = "pattern", "a regular expression unanchored or loosened"
    languages = frozenset({SHELL, SQL, PHP})
    # The quoted argument of a command or operator that takes a regular expression.
    _PATTERN = re.compile(r"""(?:grep(?:\s+-\w+)*|sed(?:\s+-\w+)*|awk|=~|REGEXP|RLIKE|preg_match\()\s*(['"])(.+?)\1""")
    _LOOSER = ((re.compile(r"^\^"), ""), (re.compile(r"(?<!\\)\$$"), ""), (re.compile(r"(?<![\\\])])\+"), "*"),
               (re.compile(r"\\d"), "."))

    def candidates(self, number, line, lang):
        for match in self._PATTERN.finditer(line):
            pattern, at = match.group(2), match.start(2)
            for find, loose in self._LOOSER:
                if spot := find.search(pattern):
                    yield Mutation(self.name, number, at + spot.start(), at + spot.end(), loose)


OPERATORS: dict[str, Operator] = {op.name: op for op in (
    DeleteLine(), ChangeNumber(), SwapComparison(), DropOption(), DropPipelineStage(), DropCondition(),
    ConfigKey(), ConfigValue(), ChangePath(), ChangeUnit(), LoosenPattern())}


def candidates(path: str, text: str) -> list[Mutation]:
    """Every mutation the operators propose for a snippet file, line by line; comments are left alone, and so
    is the deletion of a line beside an excerpt's `...`: without it, the excerpt is still true."""
    lang = language(path)
    comments = _COMMENT.get(lang, ())
    found = []
    rows = text.split("\n")
    gaps = {n for n, line in enumerate(rows, 1) if line.strip() == "..."}
    for number, line in enumerate(rows, 1):
        if comments and line.lstrip().startswith(comments) and not line.lstrip().startswith("#!"):
            continue
        if line.startswith("#!"):
            continue
        code = _code_end(line) if comments else len(line)
        for op in OPERATORS.values():
            if lang in op.languages:
                made = [m for m in op.candidates(number, line, lang) if (m.end <= code and not m.deletes_line)
                        or (m.deletes_line and not gaps & {number - 1, number + 1})]
                found.extend(dataclasses.replace(m, ordinal=n) for n, m in enumerate(made, 1))
    return found


def _code_end(line: str) -> int:
    """Where a comment at the end of a line starts (a `#` after a blank, outside quotes): no observation can tell
    a change to a comment."""
    quote = None
    for at, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and at and line[at - 1] in " \t":
            return at
    return len(line)


def choose(path: str, text: str, cap: int, lines: set[int] | None = None) -> list[Mutation]:
    """At most `cap` mutations of a snippet (of its `lines`, if given), the same ones on every run: the
    operators take turns in the registry's order, and each offers its candidates in an order fixed by their
    content, not by chance. Two mutations that make the same text count once."""
    by_operator: dict[str, list[Mutation]] = {}
    for mutation in (m for m in candidates(path, text) if lines is None or m.line in lines):
        by_operator.setdefault(mutation.operator, []).append(mutation)
    for found in by_operator.values():
        found.sort(key=lambda m: hashlib.sha256(f"{path}\0{m.id}\0{m.replacement}".encode()).hexdigest())
    chosen, texts = [], {text}
    turns = [by_operator[name] for name in OPERATORS if name in by_operator]
    while len(chosen) < cap and any(turns):
        for found in turns:
            while found and len(chosen) < cap:
                mutation = found.pop(0)
                if (mutated := mutation.apply(text)) not in texts:
                    texts.add(mutated)
                    chosen.append(mutation)
                    break
    return sorted(chosen, key=lambda m: (m.line, m.start, m.operator))
