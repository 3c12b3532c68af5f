"""YAML as content is written: plain values only, the line of every value, bounded work.

A sheet or an article's front matter is read in three steps: libyaml composes the node
tree; one walk over it records every value's line and refuses what a content file never
needs (type tags, duplicate keys, aliases that expand beyond :data:`MAX_VALUES`, nesting
beyond :data:`MAX_DEPTH`); only then are Python values built. Nothing is built from a tree
the walk refused, so no constructor ever sees a tag like ``!!int Turkey`` or an alias bomb.
"""

from __future__ import annotations

import marshal
import re
import zlib
from dataclasses import dataclass
from typing import Any

import yaml
import yaml.resolver

from generator.errors import Problem

Loc = tuple[str | int, ...]
Lines = dict[Loc, int]

MAX_VALUES = 20_000
"""Most values a file may hold once its aliases are expanded (a big sheet has a few hundred)."""
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings (a sheet needs four levels)."""

_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_SURROGATE = re.compile("[\ud800-\udfff]")
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


@dataclass(frozen=True)
class Parsed:
    """A YAML document's value and the 1-based line of each value in it, by location."""

    data: Any
    lines: Lines


@dataclass(frozen=True, slots=True)
class PackedLines:
    """A line map kept compressed, for a file whose values loaded: it is read only to report a
    problem. As a dict it was the largest part of a loaded sheet after its values (130 MB at
    30,000 sheets); packed it is a tenth of that."""

    packed: bytes

    @classmethod
    def pack(cls, lines: Lines) -> PackedLines:
        """``lines``, packed (equal maps, equal bytes)."""
        return cls(zlib.compress(marshal.dumps(lines), 1))

    def unpack(self) -> Lines:
        """The line map."""
        lines: Lines = marshal.loads(zlib.decompress(self.packed))
        return lines


def parse(text: str, rel: str, problems: list[Problem], first_line: int = 1) -> Parsed | None:
    """Parse ``text`` (the file ``rel``, or the part of it from ``first_line``).

    Returns None, with every reason added to ``problems``, when it is not plain YAML data.
    """
    try:
        node = _compose(text, _FAST_LOADER)
    except (yaml.YAMLError, RecursionError):
        # libyaml's messages differ from PyYAML's; the pure-Python parser words them better.
        try:
            node = _compose(text, yaml.SafeLoader)
        except yaml.YAMLError as exc:
            problems.append(yaml_problem(rel, exc, first_line, text))
            return None
        except RecursionError:
            problems.append(Problem(rel, first_line, "the YAML is nested too deeply",
                                    "A sheet needs only a few levels: see the sheet guide"))
            return None
    if node is None:
        return Parsed(None, {(): first_line})
    walk = _Walk(rel, first_line)
    walk.run(node)
    if walk.problems:
        problems.extend(walk.problems)
        return None
    try:
        data = _Values().value(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, UnicodeError) as exc:
        problems.append(Problem(rel, first_line + node.start_mark.line,
                                f"this YAML cannot be read as plain values ({_short(str(exc))})",
                                "Write plain text, numbers, lists and 'key: value' mappings"))
        return None
    return Parsed(data, walk.lines)


def _compose(text: str, loader_class: type[yaml.SafeLoader]) -> yaml.Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def tag_name(tag: str) -> str:
    """``tag:yaml.org,2002:int`` as written in YAML: ``!!int``."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def _implicit_tag(node: yaml.Node) -> str:
    """The tag YAML gives the node when none is written."""
    if isinstance(node, yaml.ScalarNode):
        plain = node.style is None or node.style == ""
        return str(_RESOLVER.resolve(yaml.ScalarNode, node.value, (plain, not plain)))  # type: ignore[no-untyped-call]
    return _SEQ if isinstance(node, yaml.SequenceNode) else _MAP


class _Walk:
    """One pass over a node tree: lines, duplicate keys, tags, expanded size and depth."""

    def __init__(self, rel: str, first_line: int) -> None:
        self.rel = rel
        self.offset = first_line - 1
        self.lines: Lines = {}
        self.problems: list[Problem] = []
        self.sizes: dict[int, int] = {}  # expanded size by node: each alias is counted, not walked again

    def line(self, node: yaml.Node) -> int:
        return self.offset + node.start_mark.line + 1

    def run(self, root: yaml.Node) -> None:
        total = self.visit(root, (), 0)
        if total > MAX_VALUES and not self.problems:
            self.problems.append(Problem(
                self.rel, self.line(root), f"the YAML expands to more than {MAX_VALUES:,} values "
                "through its aliases ('*name')", "Write the values out instead of repeating aliases"))

    def visit(self, node: yaml.Node, loc: Loc, depth: int) -> int:
        self.lines.setdefault(loc, self.line(node))
        if id(node) in self.sizes:
            return self.sizes[id(node)]  # an alias: walking it again could take exponential time
        self.sizes[id(node)] = 1
        if depth > MAX_DEPTH:
            self.problems.append(Problem(self.rel, self.line(node), "the YAML is nested too deeply",
                                         "A sheet needs only a few levels: see the sheet guide"))
            return 1
        if node.tag != _STR and node.tag != _implicit_tag(node):  # text is text, tagged or not
            self.problems.append(Problem(
                self.rel, self.line(node), f"the YAML tag '{_short(tag_name(node.tag), 40)}' is not used in "
                "content", "Remove the tag; put the value in quotes if it should be text"))
            return 1
        size = 1
        if isinstance(node, yaml.MappingNode):
            seen: set[object] = set()
            for key_node, value_node in node.value:
                key = self.key(key_node)
                if key is None:
                    continue
                if key in seen:
                    self.problems.append(Problem(self.rel, self.line(key_node), f"duplicate key "
                                                 f"'{_short(str(key))}'", "Keep only one of them"))
                seen.add(key)
                self.lines[(*loc, key)] = self.line(key_node)
                size += self.visit(value_node, (*loc, key), depth + 1)
                if size > MAX_VALUES:
                    break
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                size += self.visit(item, (*loc, index), depth + 1)
                if size > MAX_VALUES:
                    break
        self.sizes[id(node)] = size
        return size

    def key(self, node: yaml.Node) -> str | None:
        """A mapping key as written (``1:`` is the key '1'), or None if refused."""
        if not isinstance(node, yaml.ScalarNode):
            self.problems.append(Problem(self.rel, self.line(node), "a key must be a plain word",
                                         "Write keys as 'name: value'"))
            return None
        if node.tag != _STR and node.tag != _implicit_tag(node):
            self.problems.append(Problem(
                self.rel, self.line(node), f"the YAML tag '{_short(tag_name(node.tag), 40)}' is not used in "
                "content", "Remove the tag"))
            return None
        return str(node.value)


class _Values:
    """Python values of a node tree the walk accepted: strings, lists and mappings (keys kept as
    written) built directly, a third of the time a large site spends reading YAML; other scalars
    by PyYAML's safe constructor."""

    def __init__(self) -> None:
        self.built: dict[int, Any] = {}  # by node: an alias gets the same object, built once
        self.constructor = yaml.constructor.SafeConstructor()

    def value(self, node: yaml.Node) -> Any:
        if id(node) in self.built:
            return self.built[id(node)]
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            if _SURROGATE.search(node.value):
                # "\ud83d\ude00", as JSON writes an emoji: YAML leaves the two halves apart.
                return node.value.encode("utf-16", "surrogatepass").decode("utf-16")
            return node.value
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            self.built[id(node)] = items
            items.extend(self.value(item) for item in node.value)
            return items
        if isinstance(node, yaml.MappingNode):
            mapping: dict[Any, Any] = {}
            self.built[id(node)] = mapping
            for key, item in node.value:
                mapping[str(key.value)] = self.value(item)  # keys as written: '1', not 1
            return mapping
        value = self.constructor.construct_object(node, deep=True)
        self.built[id(node)] = value
        return value


def yaml_problem(rel: str, exc: yaml.YAMLError, first_line: int = 1, text: str = "") -> Problem:
    """A YAML syntax error, at its line (counted from ``first_line``); ``text`` is what was parsed."""
    if isinstance(exc, yaml.reader.ReaderError):
        return Problem(rel, first_line, f"unreadable character ({_short(str(exc.reason))})",
                       "Save the file as UTF-8 text")
    mark = getattr(exc, "problem_mark", None)
    line = first_line + mark.line if mark is not None else first_line
    what = getattr(exc, "problem", None) or "malformed YAML"
    context = getattr(exc, "context", None)
    message = f"malformed YAML: {what}" + (f" ({context})" if context else "")
    fix = ("Check the indentation and quoting on this line or the one above; "
           "quote text that contains ': ' or starts with a quote")
    lines = text.split("\n")
    source = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    if "<scalar>" in what and "'" in source:
        fix = ("Text that starts with a quote must end with the same quote: write it in double "
               "quotes (\"...\") when it holds an apostrophe, or double each apostrophe inside single quotes")
    return Problem(rel, line, message, fix)


def _short(text: str, limit: int = 80) -> str:
    """At most ``limit`` characters of ``text``: error messages never echo a whole value."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def excerpt(text: str, limit: int = 80) -> str:
    """:func:`_short`, for other modules' messages."""
    return _short(text, limit)
