"""YAML loading that remembers where every mapping and key came from, for error messages."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .errors import SpecError
from .textfile import read_text


class Located(dict):
    """A mapping from a YAML file with the line of the mapping and of each of its keys."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


# libyaml's parser where PyYAML was built with it: several times faster on a site of many lab specs. Its
# nodes carry the same marks, so lines stay exact.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


# YAML 1.1 reads `on:`, `yes` and `no` as booleans; a step's `on: host` must stay a string.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    result = Located()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.MarkedYAMLError(problem=f"a key must be text, not {type(key).__name__}",
                                       problem_mark=key_node.start_mark)
        if key in result:
            raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


# More values than any file here holds once its aliases are written out.
MAX_VALUES = 100_000


def _bound_aliases(text: str, path: Path | str) -> None:
    """An alias repeats what its anchor holds: nested, a few lines expand to more than memory holds (a
    "billion laughs"). The values are counted as if every alias were written out, before any is built."""
    if "*" not in text:
        return
    sizes: dict[str, int] = {}  # anchor → values under it
    open_: list[list] = [[None, 0]]  # per open collection: its anchor, values so far
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            open_.append([event.anchor, 1])
            continue
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size = open_.pop()
        elif isinstance(event, yaml.ScalarEvent):
            anchor, size = event.anchor, 1
        elif isinstance(event, yaml.AliasEvent):
            anchor, size = None, sizes.get(event.anchor, 1)
        else:
            continue
        if anchor:
            sizes[anchor] = size
        open_[-1][1] += size
        if open_[-1][1] > MAX_VALUES:
            raise SpecError(path, event.start_mark.line + 1, f"its aliases expand to more than {MAX_VALUES} values; "
                                                              "write the values out")


def load_yaml(path: Path) -> Located:
    return load_yaml_text(read_text(path), path)


def load_yaml_text(text: str, path: Path | str, first_line: int = 1) -> Located:
    """`first_line`: where the text starts in `path` (YAML inside a page's fence), so lines name the page's."""
    # Blank lines in front keep PyYAML's marks equal to the lines of `path`.
    text = "\n" * (first_line - 1) + text
    try:
        _bound_aliases(text, path)
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or str(exc)
        # PyYAML's context says what it was reading, and from where: often the line the author must fix.
        if exc.context and exc.context_mark and exc.context_mark is not mark:
            message += f" ({exc.context}, which starts at line {exc.context_mark.line + 1})"
        raise SpecError(path, mark.line + 1 if mark else None, message) from None
    except yaml.YAMLError as exc:
        raise SpecError(path, None, str(exc)) from None
    if not isinstance(data, Located):
        raise SpecError(path, first_line, "expected a mapping at the top level")
    return data
