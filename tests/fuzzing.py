"""Seeded mutations of a real project's content, for the fuzz test and ``benchmarks/fuzz.py``.

Each mutation takes a copy of a project (its ``content/`` holding the repository's real
sheets and article) and a :class:`random.Random`, changes one thing the way an attacker or
a careless contributor would, and returns an :class:`Applied`: the mutation's class (its
label in the report), what exactly it did, and what a good explainer should make of it.

The classes cover issue 14: YAML tags, anchors and alias bombs, control, astral, invisible
and decomposed characters, byte order marks and line endings, long values, deep nesting,
odd keys, reserved slugs, subfolders, every kind of file that is not a plain file (symlinks
in and out of the project, FIFOs, devices, sockets, sparse giants), odd article front
matter, terminal escapes and GitHub workflow commands where messages echo them, and the
``explainer new`` command.

A mutation only ever writes inside the project, except that it may create the shared
folder of outside files (:func:`outside_of`), which symlinks may point to: nothing from
there may be read, listed or published.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import socket
import stat
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

KINDS = ("actors", "equipment", "agreements", "places", "events")
"""The sheet folders of ``content/`` (kept here so the harness does not depend on the model)."""

SENTINEL = "outside-sentinel"
"""Written into every outside file and folder name: if it shows in output or pages, they leaked."""

OUTSIDE_DIR = "fuzz-outside"
"""The folder of outside files, a sibling of every case's project (see :func:`outside_of`)."""

Expect = Literal["accept", "reject"] | None


@dataclass(frozen=True)
class Applied:
    """What a mutation did, and what a good explainer makes of it.

    ``label`` is the mutation's class (its row in the report), ``note`` the exact change
    in one line. ``expect`` is ``"accept"`` when the content is still good (a rejection is
    then a false alarm), ``"reject"`` when it is bad (accepting it is a silent acceptance),
    ``None`` when either is fine. ``line`` is where an error about ``line[0]`` belongs.
    ``argv`` replaces the default ``check`` command. ``lookalike`` marks a quote that reads
    exactly like the article's words (a bare "quote not found" is then a confusing message).
    """

    label: str
    note: str
    expect: Expect = None
    line: tuple[str, int] | None = None
    argv: tuple[str, ...] | None = None
    lookalike: bool = False


Mutation = Callable[[Path, random.Random], Applied]
MUTATIONS: dict[str, Mutation] = {}
"""Every mutation by its class label, in definition order."""


def mutation(label: str) -> Callable[[Mutation], Mutation]:
    """Register a mutation under ``label``."""

    def register(function: Mutation) -> Mutation:
        if label in MUTATIONS:
            raise ValueError(f"two mutations labelled {label!r}")
        MUTATIONS[label] = function
        return function

    return register


# Characters -----------------------------------------------------------------

C0 = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)]
C1 = [chr(c) for c in range(0x80, 0xA0)]
CONTROL = [*C0, "\x7f", *C1]
"""Characters YAML forbids raw (NEL, U+0085, is a line break to it, so it is left out below)."""

ASTRAL = [
    "\U0001F600",  # grinning face
    "\U0001F1F1\U0001F1FE",  # flag of Libya (regional indicators)
    "\U0001F469\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466",  # family, ZWJ sequence
    "\U0001F44D\U0001F3FD",  # thumbs up, skin tone
    "\U0001D400",  # mathematical bold A
    "\U00020000",  # CJK extension B
    "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F",  # England, tag chars
    "\U000F0000",  # plane 15 private use
    "\U0010FFFD",  # last private use character
]
"""Characters outside the Basic Multilingual Plane (UTF-16 needs surrogate pairs for them)."""

UNICODE_ODDITIES = [
    "e\u0301",  # combining acute accent
    "Z\u0351\u0364\u036b\u0350\u0342\u036c\u0303\u0357\u0313\u0314" * 3,  # stacked combining marks
    "\u202eevil\u202c",  # right-to-left override
    "\u2066isolate\u2069",
    "\u200f",  # right-to-left mark
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\u0085",  # next line (NEL)
    "\ufeff",  # zero width no-break space (a BOM inside text)
    "\u00a0",  # no-break space
    "\u3000",  # ideographic space
    "\ufffd",  # replacement character
    "\ufdd0",  # noncharacter
    "\u2764\ufe0f",  # heart with variation selector
    "\U0001F9D1\u200d\U0001F680",  # astronaut (ZWJ)
]

INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e"]
"""Characters that show nothing: soft hyphen, zero-width space/non-joiner/joiner, word joiner..."""

TERMINAL_ESCAPES = [
    "\x1b[2J\x1b[H",
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "\x1b[31mred\x1b[0m",
    "\r\x1b[Kall good: 0 errors",
    "\x9b31m",
    "\x07",
    "\x08\x08\x08\x08",
    "\x1b]0;pwned\x07",
]

WORKFLOW_COMMANDS = [
    "\n::error file=content/actors/turkey.yml,line=1::injected",
    "\n::add-mask::secret",
    "\n::stop-commands::pause",
    "\r\n::warning::injected",
    "\r::notice::injected",
    "\n  ::error::indented",
    "\n::set-output name=x::y",
]

SCALAR_TAGS = [
    "!!int", "!!bool", "!!float", "!!timestamp", "!!binary", "!!null", "!!str", "!!set",
    "!!omap", "!!pairs", "!!seq", "!!map", "!!merge", "!!value", "!foo", "!<tag:yaml.org,2002:int>",
    "!<tag:example.com,2000:app/x>", "!!python/object:os.system", "!!python/name:builtins.print",
]
COLLECTION_TAGS = ["!!set", "!!omap", "!!pairs", "!!map", "!!seq", "!!str", "!!binary", "!!int",
                   "!!timestamp", "!!bool", "!!null", "!foo"]

RESERVED_SLUGS = [
    "index", "timeline", "graph", "open-data", "data", "search", "assets", "404", "sitemap", "feed",
    "contributing", "articles", "actors", "equipment", "agreements", "places", "events", "home", "tags",
]
"""Slugs that name a generated page, folder or data file somewhere on the site."""

TEXT_KEYS = {"name", "summary", "text", "attribution", "as_written"}
"""Keys whose values are free text that nothing else refers to (``aliases`` items too)."""

YAML_PRINTABLE = re.compile("[\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# The project on disk ----------------------------------------------------------

def outside_of(project: Path) -> Path:
    """The folder of files outside ``project`` that symlinks may point to; made on first use.

    It holds a valid sheet and article named after :data:`SENTINEL` (so that publishing
    them shows), a copy of every kind folder, and odd files for a symlinked folder to list.
    """
    outside = project.parent / OUTSIDE_DIR
    if (outside / "ready").exists():
        return outside
    outside.mkdir(exist_ok=True)
    content = project / "content"
    sheet = sorted((content / "actors").glob("*.yml"))[0].read_text(encoding="utf-8")
    sheet = re.sub(r"(?m)^name: .*$", f"name: Secret {SENTINEL} sheet", sheet, count=1)
    (outside / f"secret-{SENTINEL}.yml").write_text(sheet, encoding="utf-8")
    article = sorted((content / "articles").glob("*.md"))[0].read_text(encoding="utf-8")
    article = re.sub(r'(?m)^title: .*$', f'title: "Secret {SENTINEL} article"', article, count=1)
    (outside / f"secret-{SENTINEL}.md").write_text(article, encoding="utf-8")
    for kind in (*KINDS, "articles"):
        folder = outside / f"{kind}-{SENTINEL}"
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(content / kind, folder)
        (folder / f"{SENTINEL}-passwords.txt").write_text(f"{SENTINEL} password\n", encoding="utf-8")
    odd = outside / f"odd-{SENTINEL}"
    odd.mkdir(exist_ok=True)
    (odd / f"{SENTINEL}-shadow").write_text(f"root:{SENTINEL}:0\n", encoding="utf-8")
    (odd / f"{SENTINEL}.yml").write_text(f"name: {SENTINEL}\n", encoding="utf-8")
    (outside / "ready").write_text("", encoding="utf-8")
    return outside


def rel(project: Path, path: Path) -> str:
    """``path`` relative to the project, as messages print it."""
    return path.relative_to(project).as_posix()


def sheet_files(project: Path, kind: str | None = None) -> list[Path]:
    """The sheets in the project's kind folders (one kind, or all), sorted."""
    kinds = [kind] if kind else list(KINDS)
    return sorted(p for k in kinds for p in (project / "content" / k).glob("*.yml")
                  if p.is_file() and not p.is_symlink())


def article_files(project: Path) -> list[Path]:
    """The project's articles, sorted."""
    return sorted(p for p in (project / "content" / "articles").glob("*.md")
                  if p.is_file() and not p.is_symlink())


def any_content_file(project: Path, rng: random.Random) -> Path:
    """A sheet, or (one time in five) an article."""
    if rng.random() < 0.2:
        return rng.choice(article_files(project))
    return rng.choice(sheet_files(project))


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", "surrogatepass"))


def line_at(text: str, index: int) -> int:
    """1-based line of character ``index`` in ``text``."""
    return text.count("\n", 0, index) + 1


def splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def references_renamed(project: Path, old: str, new: str) -> None:
    """Point every ``target:`` and ``article:`` naming ``old`` at ``new``."""
    pattern = re.compile(rf"(?m)^(\s*-?\s*(?:target|article):\s*)[\"']?{re.escape(old)}[\"']?\s*$")
    for path in sheet_files(project):
        text = read(path)
        changed = pattern.sub(lambda m: m.group(1) + new, text)
        if changed != text:
            write(path, changed)


# YAML nodes ---------------------------------------------------------------------

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Spot:
    """One node of a sheet: where it is (``loc``), its key node (if any) and itself."""

    loc: Loc
    key: yaml.ScalarNode | None
    node: yaml.Node

    @property
    def line(self) -> int:
        """The line an error about this value belongs on: its key's, for a list or mapping."""
        if self.key is not None and isinstance(self.node, yaml.SequenceNode | yaml.MappingNode):
            return self.key.start_mark.line + 1
        return self.node.start_mark.line + 1

    @property
    def name(self) -> str:
        return ".".join(str(part) for part in self.loc) or "(root)"


def compose(text: str) -> yaml.Node:
    """The node tree of ``text`` (the pure-Python parser: its marks index characters)."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    assert node is not None
    return node


def walk(node: yaml.Node, loc: Loc = (), key: yaml.ScalarNode | None = None) -> Iterator[Spot]:
    """Every node under ``node`` with its location, parents first."""
    yield Spot(loc, key, node)
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            yield from walk(value, (*loc, key_node.value), key_node)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from walk(item, (*loc, index))


def spots(text: str) -> list[Spot]:
    return list(walk(compose(text)))


def is_text_field(spot: Spot) -> bool:
    """A free-text scalar: name, summary, claim text, attribution, as_written or an alias."""
    if not isinstance(spot.node, yaml.ScalarNode) or not spot.loc:
        return False
    last = spot.loc[-1]
    return last in TEXT_KEYS or (isinstance(last, int) and len(spot.loc) >= 2 and spot.loc[-2] == "aliases")


def is_quote(spot: Spot) -> bool:
    return isinstance(spot.node, yaml.ScalarNode) and bool(spot.loc) and spot.loc[-1] == "quote"


def scalar_values(text: str) -> list[Spot]:
    return [s for s in spots(text) if isinstance(s.node, yaml.ScalarNode) and s.loc]


def node_span(text: str, node: yaml.Node) -> tuple[int, int]:
    """Start and end of ``node`` in ``text``, without the line breaks a block scalar ends with."""
    start, end = node.start_mark.index, node.end_mark.index
    while end > start and text[end - 1] in "\n\r \t":
        end -= 1
    return start, end


def dq(value: str, escape: Callable[[str], bool] = lambda c: False) -> str:
    """``value`` as a YAML double-quoted scalar; characters where ``escape`` says so as escapes.

    Quotes, backslashes, line breaks and tabs are always escaped; everything else is
    written raw unless ``escape`` asks for it.
    """
    out = ['"']
    for char in value:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif escape(char):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000
                       else f"\\U{code:08x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def escape_unprintable(char: str) -> bool:
    """Escape what YAML forbids raw."""
    return not YAML_PRINTABLE.match(char) or char == "\x85"


def escape_all_unusual(char: str) -> bool:
    """Escape everything beyond printable ASCII."""
    return not (" " <= char <= "~")


def pick_escape(rng: random.Random) -> tuple[Callable[[str], bool], str]:
    """Raw where YAML allows it, or YAML escapes for everything unusual."""
    if rng.random() < 0.5:
        return escape_unprintable, "raw"
    return escape_all_unusual, "escaped"


def item_lines(text: str, node: yaml.Node) -> str:
    """The whole lines a block sequence item spans (with its ``- ``), ending in a line break."""
    start = text.rfind("\n", 0, node.start_mark.index) + 1
    _, end = node_span(text, node)
    stop = text.find("\n", end)
    return text[start:] + "\n" if stop < 0 else text[start:stop + 1]


def replace_node(path: Path, text: str, node: yaml.Node, new: str) -> None:
    start, end = node_span(text, node)
    write(path, splice(text, start, end, new))


def insert_into(value: str, addition: str, rng: random.Random) -> str:
    """``value`` with ``addition`` at a random place (at a word boundary half the time)."""
    if rng.random() < 0.5:
        spaces = [m.start() for m in re.finditer(" ", value)] or [len(value)]
        at = rng.choice(spaces)
    else:
        at = rng.randrange(len(value) + 1)
    return value[:at] + addition + value[at:]


def random_text_field(project: Path, rng: random.Random) -> tuple[Path, str, Spot]:
    path = rng.choice(sheet_files(project))
    text = read(path)
    return path, text, rng.choice([s for s in spots(text) if is_text_field(s)])


ECHOED = ("type", "target", "precision", "edtf", "schema_type", "article")


def echoed_spots(text: str) -> list[Spot]:
    """Scalars whose value a validation error may repeat (enums, slugs, numbers)."""
    return [s for s in scalar_values(text) if s.loc[-1] in ECHOED]


def key_spots(text: str) -> list[Spot]:
    return [s for s in spots(text) if s.key is not None]


def article_parts(path: Path) -> tuple[str, str, str]:
    """An article's front matter lines (between the ``---``), and its body."""
    text = read(path)
    match = re.match(r"\A---\n(.*?\n)---\n", text, re.DOTALL)
    assert match is not None
    return "---\n", match.group(1), text[match.end() - 4:]


# Mutations: YAML tags -----------------------------------------------------------

@mutation("tag-value")
def tag_value(project: Path, rng: random.Random) -> Applied:
    """A YAML tag before a scalar value: ``name: !!int Turkey``, ``order: !!timestamp 10``..."""
    path = rng.choice(sheet_files(project))
    text = read(path)
    spot = rng.choice(scalar_values(text))
    tag = rng.choice(SCALAR_TAGS)
    write(path, splice(text, spot.node.start_mark.index, spot.node.start_mark.index, tag + " "))
    where = rel(project, path)
    return Applied("tag-value", f"{where}:{spot.line}: {tag} before {spot.name}",
                   "accept" if tag == "!!str" and spot.node.tag.endswith(":str") else None,
                   (where, spot.line))


@mutation("tag-key")
def tag_key(project: Path, rng: random.Random) -> Applied:
    """A YAML tag before a key: ``!!int name: Turkey``, ``!!null claims:``..."""
    path = rng.choice(sheet_files(project))
    text = read(path)
    spot = rng.choice(key_spots(text))
    assert spot.key is not None
    tag = rng.choice(SCALAR_TAGS)
    index = spot.key.start_mark.index
    write(path, splice(text, index, index, tag + " "))
    where = rel(project, path)
    line = spot.key.start_mark.line + 1
    return Applied("tag-key", f"{where}:{line}: {tag} before key {spot.name}",
                   "accept" if tag == "!!str" else None, (where, line))


@mutation("tag-collection")
def tag_collection(project: Path, rng: random.Random) -> Applied:
    """A tag on a list or mapping value: ``claims: !!omap``, ``date: !!set``, ``aliases: !!binary``."""
    path = rng.choice(sheet_files(project))
    text = read(path)
    candidates = [s for s in key_spots(text)
                  if isinstance(s.node, yaml.SequenceNode | yaml.MappingNode)]
    spot = rng.choice(candidates)
    assert spot.key is not None
    tag = rng.choice(COLLECTION_TAGS)
    colon = text.index(":", spot.key.end_mark.index) + 1
    write(path, splice(text, colon, colon, " " + tag))
    where = rel(project, path)
    line = spot.key.start_mark.line + 1
    return Applied("tag-collection", f"{where}:{line}: {tag} on {spot.name}", None, (where, line))


@mutation("tag-article")
def tag_article(project: Path, rng: random.Random) -> Applied:
    """A tag in an article's front matter: on the title's value, or on the key."""
    path = rng.choice(article_files(project))
    start, front, body = article_parts(path)
    tag = rng.choice(SCALAR_TAGS)
    if rng.random() < 0.7:
        front = front.replace("title: ", f"title: {tag} ", 1)
        what = "the title"
    else:
        front = front.replace("title:", f"{tag} title:", 1)
        what = "the key 'title'"
    write(path, start + front + body)
    where = rel(project, path)
    return Applied("tag-article", f"{where}:2: {tag} on {what}", "accept" if tag == "!!str" else None,
                   (where, 2))


# Mutations: anchors and aliases -----------------------------------------------------

@mutation("alias-reuse")
def alias_reuse(project: Path, rng: random.Random) -> Applied:
    """An anchor on one text value and an alias to it in another: good YAML, a good sheet."""
    path = rng.choice(sheet_files(project))
    text = read(path)
    fields = [s for s in spots(text) if is_text_field(s)]
    first, second = sorted(rng.sample(fields, 2), key=lambda s: s.node.start_mark.index)
    start, end = node_span(text, second.node)
    text = splice(text, start, end, "*reused")
    text = splice(text, first.node.start_mark.index, first.node.start_mark.index, "&reused ")
    write(path, text)
    return Applied("alias-reuse", f"{rel(project, path)}: {second.name} aliases {first.name}", "accept")


def alias_bomb(levels: int, width: int) -> str:
    """A flow list whose last item holds ``width ** levels`` strings, in a few hundred bytes."""
    items = [f"&b0 [{', '.join(['lol'] * width)}]"]
    items += [f"&b{i} [{', '.join([f'*b{i - 1}'] * width)}]" for i in range(1, levels)]
    return "[" + ", ".join(items) + "]"


BOMB_SIZES = [(4, 10), (5, 10), (6, 10), (7, 9), (8, 6), (6, 12)]


@mutation("alias-bomb")
def alias_bomb_into_echoed_field(project: Path, rng: random.Random) -> Applied:
    """A "billion laughs" list where a message may echo the value: a relation's type or target,
    a date's order or precision, schema_type, a claim's article, the aliases, the article title."""
    levels, width = rng.choice(BOMB_SIZES)
    bomb = alias_bomb(levels, width)
    if rng.random() < 0.15:
        path = rng.choice(article_files(project))
        start, front, body = article_parts(path)
        front = re.sub(r"(?m)^title: .*$", lambda m: f"title: {bomb}", front, count=1)
        write(path, start + front + body)
        where = rel(project, path)
        return Applied("alias-bomb", f"{where}:2: title is a {width}**{levels} alias bomb ({len(bomb)} B)",
                       "reject", (where, 2))
    path = rng.choice(sheet_files(project))
    text = read(path)
    candidates = echoed_spots(text) + [s for s in spots(text) if s.loc and s.loc[-1] == "aliases"]
    spot = rng.choice(candidates or [s for s in spots(text) if s.loc == ("name",)])
    replace_node(path, text, spot.node, bomb)
    where = rel(project, path)
    return Applied("alias-bomb", f"{where}:{spot.line}: {spot.name} is a {width}**{levels} alias bomb "
                   f"({len(bomb)} B)", "reject", (where, spot.line))


@mutation("alias-recursive")
def alias_recursive(project: Path, rng: random.Random) -> Applied:
    """A list or mapping that contains itself: ``aliases: &r [*r]``, ``date: &d {self: *d}``."""
    path = rng.choice(sheet_files(project))
    text = read(path)
    candidates = [s for s in spots(text) if s.loc and (s.loc[-1] in ("aliases", "claims", "relations", "date")
                                                       or s.loc[-1] in TEXT_KEYS)]
    spot = rng.choice(candidates)
    shape = rng.choice(["&r [*r]", "&r [a, *r]", "&r {self: *r}", "&r {text: a, quote: *r}",
                        "&r [[*r]]"])
    replace_node(path, text, spot.node, shape)
    where = rel(project, path)
    return Applied("alias-recursive", f"{where}:{spot.line}: {spot.name}: {shape}", "reject",
                   (where, spot.line))


@mutation("alias-merge")
def alias_merge(project: Path, rng: random.Random) -> Applied:
    """A merge key: the second claim (or relation) merges the first and overrides its text."""
    candidates = []
    for path in sheet_files(project):
        text = read(path)
        for spot in spots(text):
            if (spot.loc and spot.loc[-1] in ("claims", "relations")
                    and isinstance(spot.node, yaml.SequenceNode) and len(spot.node.value) >= 2):
                candidates.append((path, text, spot))
    path, text, spot = rng.choice(candidates)
    assert isinstance(spot.node, yaml.SequenceNode)
    first, second = spot.node.value[0], spot.node.value[1]
    column = first.start_mark.column
    at2 = second.start_mark.index
    text = splice(text, at2, at2, "<<: *first\n" + " " * column)
    at1 = first.start_mark.index
    text = splice(text, at1, at1, "&first\n" + " " * column)
    write(path, text)
    return Applied("alias-merge", f"{rel(project, path)}: {spot.name}[1] merges {spot.name}[0]", None)


@mutation("alias-undefined")
def alias_undefined(project: Path, rng: random.Random) -> Applied:
    """An alias to no anchor."""
    path, text, spot = random_text_field(project, rng)
    replace_node(path, text, spot.node, rng.choice(["*nope", "*", "&a", "&a *b"]))
    where = rel(project, path)
    return Applied("alias-undefined", f"{where}:{spot.line}: {spot.name} is a dangling alias", "reject",
                   (where, spot.line))


# Mutations: characters ----------------------------------------------------------

@mutation("control-raw")
def control_raw(project: Path, rng: random.Random) -> Applied:
    """A raw control character (C0, DEL or C1), which YAML forbids, in a value, a key or a comment."""
    char = rng.choice(CONTROL)
    path = rng.choice(sheet_files(project))
    text = read(path)
    where = rel(project, path)
    place = rng.choice(["value", "value", "key", "comment"])
    if place == "comment":
        line_start = rng.choice([0, *[m.end() for m in re.finditer("\n", text[:-1])]])
        text = splice(text, line_start, line_start, f"# a comment {char}\n")
        line = line_at(text, line_start)
    elif place == "key":
        spot = rng.choice(key_spots(text))
        assert spot.key is not None
        start, end = node_span(text, spot.key)
        text = splice(text, start, end, dq(insert_into(spot.key.value, char, rng)))
        line = spot.key.start_mark.line + 1
    else:
        spot = rng.choice([s for s in spots(text) if is_text_field(s)])
        start, end = node_span(text, spot.node)
        text = splice(text, start, end, dq(insert_into(spot.node.value, char, rng)))
        line = spot.line
    write(path, text)
    return Applied("control-raw", f"{where}:{line}: raw U+{ord(char):04X} in a {place}", "reject",
                   (where, line))


@mutation("control-escaped")
def control_escaped(project: Path, rng: random.Random) -> Applied:
    """A control character written as a YAML escape (``"\\x7f"``): YAML allows it in any value."""
    char = rng.choice([*CONTROL, "\x85", "\x00"])
    path = rng.choice(sheet_files(project))
    text = read(path)
    candidates = [s for s in spots(text) if is_text_field(s)]
    if rng.random() < 0.3:
        candidates = echoed_spots(text) or candidates
    spot = rng.choice(candidates)
    value = insert_into(spot.node.value, char, rng) if isinstance(spot.node, yaml.ScalarNode) else char
    replace_node(path, text, spot.node, dq(value, escape_all_unusual))
    where = rel(project, path)
    return Applied("control-escaped", f"{where}:{spot.line}: U+{ord(char):04X} (escaped) in {spot.name}",
                   None, (where, spot.line))


def _injection_target(project: Path, rng: random.Random, payload: str, label: str) -> Applied:
    """Put ``payload`` where a message echoes it: a key, an enum or slug value, a file or folder name."""
    content = project / "content"
    place = rng.choice(["key", "value", "value", "file", "folder", "title-key"])
    if place == "file":
        path = rng.choice(sheet_files(project))
        new = path.with_name("x" + payload.replace("/", "_") + ".yml")
        path.rename(new)
        return Applied(label, f"file renamed to {new.name!r}", "reject")
    if place == "folder":
        folder = content / ("kind" + payload.replace("/", "_"))
        folder.mkdir()
        shutil.copy(sheet_files(project)[0], folder / "x.yml")
        return Applied(label, f"folder content/{folder.name!r}", "reject")
    if place == "title-key":
        path = rng.choice(article_files(project))
        start, front, body = article_parts(path)
        write(path, start + front + f"{dq('author' + payload, escape_all_unusual)}: someone\n" + body)
        where = rel(project, path)
        return Applied(label, f"{where}:3: front matter key {('author' + payload)!r}", "reject", (where, 3))
    path = rng.choice(sheet_files(project))
    text = read(path)
    where = rel(project, path)
    encoded = dq(payload, escape_all_unusual) if rng.random() < 0.7 else dq(payload, escape_unprintable)
    if place == "key":
        line = text.count("\n") + 1
        text = text.rstrip("\n") + f"\n{encoded}: x\n"
        write(path, text)
        return Applied(label, f"{where}:{line}: key {payload!r}", "reject", (where, line))
    echoed = echoed_spots(text)
    spot = rng.choice(echoed or key_spots(text))
    value = spot.node.value if isinstance(spot.node, yaml.ScalarNode) else ""
    replace_node(path, text, spot.node, dq(value + payload, escape_all_unusual))
    return Applied(label, f"{where}:{spot.line}: {spot.name} ends in {payload!r}",
                   "reject" if echoed else None, (where, spot.line))


@mutation("terminal-escape")
def terminal_escape(project: Path, rng: random.Random) -> Applied:
    """Terminal escape codes (clear screen, hyperlink, colour, carriage return) where messages echo."""
    return _injection_target(project, rng, rng.choice(TERMINAL_ESCAPES), "terminal-escape")


@mutation("workflow-command")
def workflow_command(project: Path, rng: random.Random) -> Applied:
    """``\\n::error ...::`` or ``::add-mask::`` where messages echo it; a third of the time under
    ``--format github``."""
    applied = _injection_target(project, rng, rng.choice(WORKFLOW_COMMANDS), "workflow-command")
    if rng.random() < 1 / 3:
        return Applied(applied.label, applied.note + " (--format github)", applied.expect, applied.line,
                       ("check", "--format", "github"))
    return applied


@mutation("astral-text")
def astral_text(project: Path, rng: random.Random) -> Applied:
    """An emoji, a flag or another character beyond U+FFFF in any text: a sheet's or the article's."""
    char = rng.choice(ASTRAL)
    escape, how = pick_escape(rng)
    if rng.random() < 0.25:
        path = rng.choice(article_files(project))
        start, front, body = article_parts(path)
        where = rel(project, path)
        if rng.random() < 0.5:
            front = re.sub(r'(?m)^title: "(.*)"$', lambda m: f'title: "{m.group(1)} {char}"', front, count=1)
            write(path, start + front + body)
            return Applied("astral-text", f"{where}:2: {char!a} in the title", "accept")
        paragraphs = body.split("\n\n")
        index = rng.randrange(1, len(paragraphs))
        paragraphs[index] = paragraphs[index].rstrip("\n") + f" {char}" + (
            "\n" if paragraphs[index].endswith("\n") else "")
        write(path, start + front + "\n\n".join(paragraphs))
        return Applied("astral-text", f"{where}: {char!a} ends paragraph {index}", "accept")
    path, text, spot = random_text_field(project, rng)
    replace_node(path, text, spot.node, dq(insert_into(spot.node.value, char, rng), escape))
    return Applied("astral-text", f"{rel(project, path)}:{spot.line}: {char!a} ({how}) in {spot.name}",
                   "accept")


@mutation("surrogate-escape")
def surrogate_escape(project: Path, rng: random.Random) -> Applied:
    """A UTF-16 surrogate written as a YAML escape (``"\\ud83d\\ude00"`` or a lone ``"\\udc80"``)."""
    path, text, spot = random_text_field(project, rng)
    escape = rng.choice(["\\ud83d\\ude00", "\\udc80", "\\ud800", "\\udfff\\ud800"])
    new = dq(spot.node.value)[:-1] + " " + escape + '"'
    replace_node(path, text, spot.node, new)
    where = rel(project, path)
    return Applied("surrogate-escape", f"{where}:{spot.line}: {escape} in {spot.name}", None,
                   (where, spot.line))


@mutation("unicode-text")
def unicode_text(project: Path, rng: random.Random) -> Applied:
    """Combining marks, bidi controls, line separators, NEL, BOM, NFD text in a text value."""
    path, text, spot = random_text_field(project, rng)
    escape, how = pick_escape(rng)
    if rng.random() < 0.2:
        value = unicodedata.normalize("NFD", spot.node.value + " Misrātah café Benghāzī")
        what = "NFD text"
    else:
        char = rng.choice(UNICODE_ODDITIES)
        value = insert_into(spot.node.value, char, rng)
        what = ascii(char)
    replace_node(path, text, spot.node, dq(value, escape))
    return Applied("unicode-text", f"{rel(project, path)}:{spot.line}: {what} ({how}) in {spot.name}",
                   "accept")


@mutation("markup-text")
def markup_text(project: Path, rng: random.Random) -> Applied:
    """HTML, Jinja, Markdown, front-matter fences and comment markers in a text value."""
    payload = rng.choice([
        "</script><script>alert(1)</script>", "{{ 7*7 }}", "{% raw %}", "{# x", "<!--unsearched-->",
        "<!--/unsearched-->", "-->", "a\n---\nb", "---", "...", "\n---\n", '"', "'", "\\", "&amp;",
        "]]>", "`code`", "# heading", "[x](javascript:alert(1))", "%0A::error::x", "\ttab",
        "<b onclick=alert(1)>b</b>", "&#0;", "\\u0000",
    ])
    path, text, spot = random_text_field(project, rng)
    replace_node(path, text, spot.node, dq(insert_into(spot.node.value, payload, rng)))
    return Applied("markup-text", f"{rel(project, path)}:{spot.line}: {payload!r} in {spot.name}", "accept")


# Quotes that read exactly like the article ---------------------------------------

def _quote_spots(project: Path) -> list[tuple[Path, str, Spot]]:
    found = []
    for path in sheet_files(project):
        text = read(path)
        found += [(path, text, s) for s in spots(text) if is_quote(s)]
    return found


def _rewrite_quotes(project: Path, change: Callable[[Path, Spot, str], str | None]) -> None:
    """Rewrite quote and as_written scalars of every sheet with ``change`` (None: keep)."""
    for path in sheet_files(project):
        text = read(path)
        edits = []
        for spot in spots(text):
            quote_like = spot.loc and spot.loc[-1] in ("quote", "as_written")
            if isinstance(spot.node, yaml.ScalarNode) and quote_like:
                new = change(path, spot, spot.node.value)
                if new is not None and new != spot.node.value:
                    edits.append((spot, new))
        for spot, new in sorted(edits, key=lambda e: -e[0].node.start_mark.index):
            start, end = node_span(text, spot.node)
            text = splice(text, start, end, dq(new, escape_unprintable))
        if edits:
            write(path, text)


@mutation("invisible-quote")
def invisible_quote(project: Path, rng: random.Random) -> Applied:
    """A soft hyphen or zero-width character inside a word of one quote, or of the article."""
    path, text, spot = rng.choice(_quote_spots(project))
    words = re.findall(r"[A-Za-z]{4,}", spot.node.value) or ["Tripoli"]
    word = rng.choice(words)
    char = rng.choice(INVISIBLE)
    cut = rng.randrange(1, len(word))
    marked = word[:cut] + char + word[cut:]
    escape, how = pick_escape(rng)
    if rng.random() < 0.5:
        value = spot.node.value.replace(word, marked, 1)
        replace_node(path, text, spot.node, dq(value, escape))
        where = rel(project, path)
        return Applied("invisible-quote", f"{where}:{spot.line}: U+{ord(char):04X} ({how}) inside "
                       f"{word!r} in {spot.name}", None, (where, spot.line), lookalike=True)
    article = rng.choice(article_files(project))
    start, front, body = article_parts(article)
    body = re.sub(rf"\b{word}\b", marked, body)
    write(article, start + front + body)
    return Applied("invisible-quote", f"{rel(project, article)}: U+{ord(char):04X} inside every {word!r}",
                   None, lookalike=True)


def _accented(word: str) -> str | None:
    accents = {"a": "\u00e1", "e": "\u00e9", "i": "\u00ed", "o": "\u00f3", "u": "\u00fa"}
    for index, char in enumerate(word):
        if char in accents:
            return word[:index] + accents[char] + word[index + 1:]
    return None


@mutation("nfd-quote")
def nfd_quote(project: Path, rng: random.Random) -> Applied:
    """An accented word, composed (NFC) in the article and decomposed (NFD) in one quote, or the
    other way round: the quote reads exactly like the article's words."""
    path, _text, spot = rng.choice(_quote_spots(project))
    words = [w for w in re.findall(r"[A-Za-z]{4,}", spot.node.value) if _accented(w)] or ["Tripoli"]
    word = rng.choice(words)
    nfc = _accented(word)
    assert nfc is not None
    nfd = unicodedata.normalize("NFD", nfc)
    article_form, quote_form = (nfc, nfd) if rng.random() < 0.5 else (nfd, nfc)
    pattern = re.compile(rf"\b{word}\b")
    article = rng.choice(article_files(project))
    start, front, body = article_parts(article)
    write(article, start + front + pattern.sub(article_form, body))
    target = (path, spot.loc)

    def change(sheet: Path, other: Spot, value: str) -> str:
        chosen = (sheet, other.loc) == target
        return pattern.sub(quote_form if chosen else article_form, value)

    _rewrite_quotes(project, change)
    form = ("NFD in the quote, NFC in the article" if quote_form == nfd
            else "NFC in the quote, NFD in the article")
    where = rel(project, path)
    return Applied("nfd-quote", f"{where}:{spot.line}: {nfc!r} {form} ({spot.name})", None,
                   (where, spot.line), lookalike=True)


# Mutations: bytes, encodings, line endings ---------------------------------------------

@mutation("bom")
def bom(project: Path, rng: random.Random) -> Applied:
    """A UTF-8 byte order mark at the start of a sheet or article (twice, sometimes)."""
    path = any_content_file(project, rng)
    count = 1 if rng.random() < 0.7 else 2
    path.write_bytes(b"\xef\xbb\xbf" * count + path.read_bytes())
    return Applied("bom", f"{rel(project, path)}: {count} BOM(s) first", "accept" if count == 1 else None)


@mutation("line-endings")
def line_endings(project: Path, rng: random.Random) -> Applied:
    """A sheet or article saved with CRLF, CR-only or mixed line endings."""
    path = any_content_file(project, rng)
    text = read(path)
    style = rng.choice(["CRLF", "CR", "mixed"])
    if style == "CRLF":
        text = text.replace("\n", "\r\n")
    elif style == "CR":
        text = text.replace("\n", "\r")
    else:
        text = "".join(line + ("\r\n" if rng.random() < 0.5 else "\n") for line in text.split("\n")[:-1])
    write(path, text)
    return Applied("line-endings", f"{rel(project, path)}: {style} line endings", "accept")


@mutation("encoding")
def encoding(project: Path, rng: random.Random) -> Applied:
    """A sheet or article saved as UTF-16 or UTF-32 (with BOM), Latin-1 or CESU-8."""
    path = any_content_file(project, rng)
    text = read(path)
    name = rng.choice(["utf-16", "utf-16-be", "utf-32", "latin-1", "cesu-8"])
    if name == "latin-1":
        data = (text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
                + "# caf\u00e9\n").encode("latin-1", "replace")
    elif name == "cesu-8":
        data = (text + "# \U0001F600\n").encode("utf-16", "surrogatepass").decode(
            "utf-16", "surrogatepass").encode("utf-8", "surrogatepass")
        data = data.replace("\U0001F600".encode(), "\ud83d\ude00".encode("utf-8", "surrogatepass"))
    else:
        data = text.encode(name)
    path.write_bytes(data)
    return Applied("encoding", f"{rel(project, path)}: saved as {name}", None)


@mutation("bad-bytes")
def bad_bytes(project: Path, rng: random.Random) -> Applied:
    """A NUL, BEL, ESC, DEL or invalid UTF-8 byte at the start of a line past the first."""
    path = any_content_file(project, rng)
    data = path.read_bytes()
    starts = [m.end() for m in re.finditer(b"\n", data[:-1])]
    at = rng.choice(starts[3:] or starts)
    byte = rng.choice([b"\x00", b"\x07", b"\x1b", b"\x7f", b"\x80", b"\xff", b"\xc0\xaf", b"\xed\xa0\x80",
                       b"\xf4\x90\x80\x80", b"\xc3"])
    path.write_bytes(data[:at] + byte + data[at:])
    line = data.count(b"\n", 0, at) + 1
    where = rel(project, path)
    is_utf8 = True
    try:
        byte.decode("utf-8")
    except UnicodeDecodeError:
        is_utf8 = False
    in_sheet = path.suffix == ".yml"
    return Applied("bad-bytes", f"{where}:{line}: byte(s) {byte!r} start the line",
                   "reject" if in_sheet or not is_utf8 else None, (where, line))


# Mutations: sizes and shapes -----------------------------------------------------

@mutation("long-value")
def long_value(project: Path, rng: random.Random) -> Applied:
    """A text value, key or comment of 300 characters to 2 MB."""
    size = rng.choice([300, 10_000, 200_000, 2_000_000])
    path = rng.choice(sheet_files(project))
    text = read(path)
    where = rel(project, path)
    words = re.findall(r"\w+", text)
    filler = " ".join(rng.choice(words) for _ in range(size // 5))[:size]
    place = rng.choice(["value", "value", "key", "comment", "aliases"])
    if place == "key":
        write(path, text + f"{filler.replace(' ', '_')}: x\n")
    elif place == "comment":
        write(path, text + f"# {filler}\n")
    elif place == "aliases":
        items = "[" + ", ".join(f"a{i}" for i in range(min(size // 10, 50_000))) + "]"
        aliases = [s for s in spots(text) if s.loc == ("aliases",)]
        if aliases:
            replace_node(path, text, aliases[0].node, items)
        else:
            write(path, text.rstrip("\n") + f"\naliases: {items}\n")
        place = f"list of {min(size // 10, 50_000)} aliases"
    else:
        spot = rng.choice([s for s in spots(text) if is_text_field(s)])
        replace_node(path, text, spot.node, dq(filler))
        return Applied("long-value", f"{where}:{spot.line}: {spot.name} is {size} characters", None)
    return Applied("long-value", f"{where}: a {size}-character {place}", None)


@mutation("long-paragraph")
def long_paragraph(project: Path, rng: random.Random) -> Applied:
    """A 20-150 KB paragraph in the article and a quote found nowhere (the closest-passage hint)."""
    article = rng.choice(article_files(project))
    start, front, body = article_parts(article)
    words = re.findall(r"[A-Za-z]+", body)
    size = rng.choice([20_000, 60_000, 100_000, 150_000])
    paragraph = " ".join(rng.choice(words) for _ in range(size // 6))[:size]
    write(article, start + front + body.rstrip("\n") + "\n\n" + paragraph + "\n")
    path, text, spot = rng.choice(_quote_spots(project))
    if rng.random() < 0.5:
        broken = " ".join(reversed(spot.node.value.split()))
        what = "its words reversed"
    else:  # a long paraphrase in the article's own words: the closest-passage hint compares it to all
        length = rng.choice([300, 1000, 3000])
        broken = " ".join(rng.choice(words) for _ in range(length // 6))
        what = f"{len(broken)} characters of the article's words in another order"
    replace_node(path, text, spot.node, dq(broken))
    where = rel(project, path)
    return Applied("long-paragraph", f"{where}:{spot.line}: {spot.name} is {what}; the article has a "
                   f"{size}-character paragraph", "reject", (where, spot.line))


@mutation("deep-nesting")
def deep_nesting(project: Path, rng: random.Random) -> Applied:
    """Lists or mappings nested 100 to 100,000 deep, as a value or the article's title."""
    depth = rng.choice([100, 1000, 10_000, 100_000])
    shape = rng.choice(["flow-list", "flow-map", "block-map"])
    if shape == "flow-list":
        value = "[" * depth + "]" * depth
    elif shape == "flow-map":
        value = "{a: " * depth + "1" + "}" * depth
    else:
        depth = min(depth, 400)
        value = "".join("\n" + "  " * (i + 1) + "{indent}a:" for i in range(depth)) + " 1"
    if rng.random() < 0.2 and shape != "block-map":
        path = rng.choice(article_files(project))
        start, front, body = article_parts(path)
        front = re.sub(r"(?m)^title: .*$", lambda m: f"title: {value}", front, count=1)
        write(path, start + front + body)
        where = rel(project, path)
        return Applied("deep-nesting", f"{where}:2: title is a {shape} {depth} deep", "reject", (where, 2))
    path = rng.choice(sheet_files(project))
    text = read(path)
    spot = rng.choice([s for s in scalar_values(text) if s.key is not None])
    assert spot.key is not None
    colon = text.index(":", spot.key.end_mark.index) + 1
    _start, end = node_span(text, spot.node)
    value = value.replace("{indent}", " " * spot.key.start_mark.column)
    write(path, text[:colon] + " " + value + text[end:])
    where = rel(project, path)
    return Applied("deep-nesting", f"{where}:{spot.line}: {spot.name} is a {shape} {depth} deep", "reject",
                   (where, spot.line))


ODD_KEYS = ["1", "true", "yes", "null", "~", "1.5", "2020-01-01", "0o17", ".inf", "[a, b]", "{a: b}",
            "!!int 7", "''", "3: 4", "<<"]


@mutation("key-type")
def key_type(project: Path, rng: random.Random) -> Applied:
    """A key that is not a string: an integer, bool, null, float, date, list or mapping."""
    path = rng.choice(sheet_files(project))
    text = read(path)
    key = rng.choice(ODD_KEYS)
    where = rel(project, path)
    if rng.random() < 0.5:
        spot = rng.choice(key_spots(text))
        assert spot.key is not None
        start, end = node_span(text, spot.key)
        write(path, splice(text, start, end, key))
        line = spot.key.start_mark.line + 1
        return Applied("key-type", f"{where}:{line}: key {spot.name} replaced by {key}", "reject",
                       (where, line))
    lines = text.split("\n")
    tops = [i for i, line in enumerate(lines) if re.match(r"[a-z_]+:", line) and i > 0]
    at = rng.choice(tops)
    lines.insert(at, f"{key}: x")
    write(path, "\n".join(lines))
    return Applied("key-type", f"{where}:{at + 1}: a top-level key {key}", "reject", (where, at + 1))


@mutation("duplicate-key")
def duplicate_key(project: Path, rng: random.Random) -> Applied:
    """A key given twice in one mapping (the sheet, a claim, a relation, the date)."""
    path = rng.choice(sheet_files(project))
    text = read(path)
    mappings = [s for s in spots(text)
                if isinstance(s.node, yaml.MappingNode) and s.node.flow_style is not True and s.node.value]
    spot = rng.choice(mappings)
    assert isinstance(spot.node, yaml.MappingNode)
    key_node, value_node = rng.choice(spot.node.value)
    column = spot.node.value[0][0].start_mark.column
    if isinstance(value_node, yaml.ScalarNode):
        start, end = node_span(text, value_node)
        value = text[start:end] if "\n" not in text[start:end] else dq(value_node.value)
    else:
        value = "[]" if isinstance(value_node, yaml.SequenceNode) else "{}"
    end_index = spot.node.end_mark.index
    line_start = text.rfind("\n", 0, end_index) + 1 if end_index < len(text) else len(text)
    if line_start == len(text) and not text.endswith("\n"):
        text += "\n"
        line_start = len(text)
    addition = " " * column + f"{key_node.value}: {value}\n"
    write(path, splice(text, line_start, line_start, addition))
    where = rel(project, path)
    line = line_at(text, line_start)
    return Applied("duplicate-key", f"{where}:{line}: {spot.name}.{key_node.value} given again", "reject",
                   (where, line))


@mutation("yaml11-scalars")
def yaml11_scalars(project: Path, rng: random.Random) -> Applied:
    """YAML 1.1's implicit types where a string or number belongs: ``order: yes``, ``name: no``,
    ``order: 1:20`` (sexagesimal), ``order: 0x1A``, ``precision: off``..."""
    path = rng.choice(sheet_files(project))
    text = read(path)
    candidates = [s for s in scalar_values(text) if s.loc[-1] in ("order", "precision", "name", "schema_type",
                                                                  "type", "edtf", "target")]
    spot = rng.choice(candidates)
    bools = ["yes", "on", "true", "True", "no", "off", "OFF", "n", "y"]
    numbers = ["0x1A", "0o17", "017", "1_000", "+12", "1:20", "10.0", "1e3", ".inf", ".nan", "-0", "'10'",
               "~", "2019-04-01", "99999999999999999999999"]
    value = rng.choice(bools + numbers)
    replace_node(path, text, spot.node, value)
    where = rel(project, path)
    expect: Expect = "reject" if value in bools[:7] and spot.loc[-1] == "order" else None
    return Applied("yaml11-scalars", f"{where}:{spot.line}: {spot.name}: {value}", expect, (where, spot.line))


@mutation("unicode-digits")
def unicode_digits(project: Path, rng: random.Random) -> Applied:
    """Digits that are not ASCII in an EDTF date: ``edtf: "٢٠١٩-٠٤"``."""
    events = [p for p in sheet_files(project, "events")]
    path = rng.choice(events)
    text = read(path)
    digits = rng.choice(["\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
                         "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19",
                         "\u09e6\u09e7\u09e8\u09e9\u09ea\u09eb\u09ec\u09ed\u09ee\u09ef"])
    table = str.maketrans("0123456789", digits)
    date = next(s for s in spots(text) if s.loc == ("date",))
    assert isinstance(date.node, yaml.MappingNode)
    column = date.node.value[0][0].start_mark.column
    block = (" " * column + "as_written: in April 2019\n" + " " * column + "precision: month\n"
             + " " * column + f"edtf: {dq('2019-04'.translate(table))}\n"
             + " " * column + "quote: in April 2019\n")
    start = date.node.start_mark.index - column
    write(path, text[:start] + block + text[date.node.end_mark.index:].lstrip(" "))
    what = "edtf"
    line = date.line + 2
    where = rel(project, path)
    return Applied("unicode-digits", f"{where}: {what} in {digits[:2]!a}... digits", None, (where, line))


@mutation("empty-ish")
def empty_ish(project: Path, rng: random.Random) -> Applied:
    """A sheet that is empty, blank, only a comment, a document marker, null, a list, a string,
    two documents, or only a BOM."""
    path = rng.choice(sheet_files(project))
    data = rng.choice([b"", b"\n\n", b"   ", b"# only a comment\n", b"---\n", b"...\n", b"null\n", b"~\n",
                       b"[]\n", b"{}\n", b'"a string"\n', b"- a\n- b\n", b"---\nname: a\n---\nname: b\n",
                       b"\xef\xbb\xbf", b"\x00", b"%YAML 1.1\n---\n", b"? \n"])
    path.write_bytes(data)
    return Applied("empty-ish", f"{rel(project, path)} is {data!r}", "reject")


@mutation("claims-shape")
def claims_shape(project: Path, rng: random.Random) -> Applied:
    """``claims`` empty, null, a mapping, a string, or one claim repeated 2,000 times."""
    path = rng.choice(sheet_files(project))
    text = read(path)
    spot = next(s for s in spots(text) if s.loc == ("claims",))
    assert spot.key is not None
    colon = text.index(":", spot.key.end_mark.index) + 1
    _start, end = node_span(text, spot.node)
    variant = rng.choice(["[]", "null", "{text: a, quote: b}", "a string", "repeat"])
    if variant == "repeat":
        assert isinstance(spot.node, yaml.SequenceNode)
        block = item_lines(text, spot.node.value[0])
        write(path, text[:colon] + "\n" + block * 2000 + text[end:].lstrip("\n"))
        return Applied("claims-shape", f"{rel(project, path)}: the first claim 2,000 times", None)
    write(path, text[:colon] + " " + variant + text[end:])
    where = rel(project, path)
    return Applied("claims-shape", f"{where}:{spot.line}: claims: {variant}", "reject", (where, spot.line))


@mutation("quote-edge")
def quote_edge(project: Path, rng: random.Random) -> Applied:
    """A quote that is blank, one common word, across two passages, typographic, or spaced oddly."""
    path, text, spot = rng.choice(_quote_spots(project))
    article = read(rng.choice(article_files(project)))
    paragraphs = [p for p in article.split("\n\n")[1:] if p.strip()]
    variant = rng.choice(["blank", "the", "across", "typographic", "spaces"])
    expect: Expect = "reject"
    if variant == "blank":
        value = rng.choice(["   ", "\u00a0", "\u200b", "\t"])
    elif variant == "the":
        value = "the"
    elif variant == "across":
        index = rng.randrange(len(paragraphs) - 1)
        value = paragraphs[index].split()[-1] + " " + paragraphs[index + 1].split()[0]
        value = " ".join(paragraphs[index].split()[-4:] + paragraphs[index + 1].split()[:4])
    elif variant == "typographic":
        value = spot.node.value.replace("'", "\u2019").replace('"', "\u201d").replace("-", "\u2013")
        expect = "accept"
    else:
        value = spot.node.value.replace(" ", rng.choice(["  ", "\n", " \u00a0", "\t"]))
        expect = "accept"
    replace_node(path, text, spot.node, dq(value, escape_unprintable))
    where = rel(project, path)
    return Applied("quote-edge", f"{where}:{spot.line}: {spot.name} {variant}: {value[:40]!r}", expect,
                   (where, spot.line))


@mutation("relation-edge")
def relation_edge(project: Path, rng: random.Random) -> Applied:
    """A relation to its own sheet, to the article, to nothing, or a relation given twice."""
    candidates = [(p, read(p)) for p in sheet_files(project) if "\nrelations:\n" in read(p)]
    path, text = rng.choice(candidates)
    spot = rng.choice([s for s in scalar_values(text) if s.loc[-1] == "target"])
    variant = rng.choice(["self", "article", "missing", "twice", "uppercase"])
    where = rel(project, path)
    if variant == "twice":
        relations = next(s for s in spots(text) if s.loc == ("relations",))
        assert isinstance(relations.node, yaml.SequenceNode)
        block = item_lines(text, relations.node.value[0])
        write(path, text.rstrip("\n") + "\n" + block)
        return Applied("relation-edge", f"{where}: the first relation twice", None)
    value = {"self": path.stem, "article": article_files(project)[0].stem, "missing": "no-such-sheet",
             "uppercase": spot.node.value.upper()}[variant]
    replace_node(path, text, spot.node, value)
    return Applied("relation-edge", f"{where}:{spot.line}: {spot.name}: {value}",
                   "reject" if variant in ("missing", "uppercase", "article") else None, (where, spot.line))


@mutation("same-as")
def same_as(project: Path, rng: random.Random) -> Applied:
    """``same_as`` URLs with a newline, an escape code, 100,000 characters, markup or a bidi override."""
    path = rng.choice(sheet_files(project))
    text = read(path)
    url = rng.choice(["https://example.com/\n::error::x", "https://example.com/\x1b[2J",
                      "https://" + "a" * 100_000, 'https://example.com/"><script>alert(1)</script>', "https://example.com/\u202etxt.exe",
                      "https://example.com/\U0001F600", "https://exa mple.com/", "http://example.com/",
                      "javascript:alert(1)", "https://example.com/\x7f"])
    line = text.count("\n") + 1
    write(path, text.rstrip("\n") + f"\nsame_as: [{dq(url, escape_all_unusual)}]\n")
    where = rel(project, path)
    return Applied("same-as", f"{where}:{line}: same_as: [{url[:60]!r}]", None, (where, line))


# Mutations: names, folders and file types --------------------------------------------

def _rename_sheet(project: Path, path: Path, stem: str, folder: Path | None = None) -> Path:
    new = (folder or path.parent) / f"{stem}.yml"
    new.parent.mkdir(parents=True, exist_ok=True)
    path.rename(new)
    references_renamed(project, path.stem, stem)
    return new


@mutation("reserved-slug")
def reserved_slug(project: Path, rng: random.Random) -> Applied:
    """A sheet or the article renamed to a slug the site also generates (``index``, ``timeline``...),
    its references following."""
    slug = rng.choice(RESERVED_SLUGS[:6] + RESERVED_SLUGS) if rng.random() < 0.5 else "index"
    if rng.random() < 0.25:
        article = rng.choice(article_files(project))
        new = article.with_name(f"{slug}.md")
        article.rename(new)
        references_renamed(project, article.stem, slug)
        return Applied("reserved-slug", f"article renamed to {rel(project, new)}", None)
    path = rng.choice(sheet_files(project))
    new = _rename_sheet(project, path, slug)
    return Applied("reserved-slug", f"{rel(project, path)} renamed to {rel(project, new)}", None)


@mutation("subfolder")
def subfolder(project: Path, rng: random.Random) -> Applied:
    """A sheet or the article moved into a subfolder of its kind folder."""
    sub = rng.choice(["sub", "2020", "index", "actors", "x.yml", "drafts"])
    if rng.random() < 0.2:
        article = rng.choice(article_files(project))
        new = article.parent / sub / article.name
        new.parent.mkdir(parents=True)
        article.rename(new)
        return Applied("subfolder", f"article moved to {rel(project, new)}", None)
    path = rng.choice(sheet_files(project))
    new = _rename_sheet(project, path, path.stem, path.parent / sub)
    return Applied("subfolder", f"{rel(project, path)} moved to {rel(project, new)}", None)


@mutation("rename-suffix")
def rename_suffix(project: Path, rng: random.Random) -> Applied:
    """A sheet renamed to ``.yaml``, ``.YML``, ``.yml~``, ``.json``..., or the article to ``.markdown``."""
    if rng.random() < 0.2:
        article = rng.choice(article_files(project))
        suffix = rng.choice([".markdown", ".MD", ".txt", ".md~", ""])
        article.rename(article.with_name(article.stem + suffix))
        return Applied("rename-suffix", f"article renamed to {article.stem + suffix}", "reject")
    path = rng.choice(sheet_files(project))
    suffix = rng.choice([".yaml", ".YML", ".Yml", ".yml~", ".yml.bak", ".json", "", ".md", ".yml.swp"])
    path.rename(path.with_name(path.stem + suffix))
    return Applied("rename-suffix", f"{rel(project, path)} renamed to {path.stem + suffix!r}",
                   "accept" if suffix == ".yaml" else None)


ODD_NAMES: list[str | bytes] = [
    "Turkey", "t\u00fcrkiye", "a b", "x\n", "x\r", "-x", "x--y", "x_y", "a" * 250, "\u2168", "\ufb01le",
    "x.yml", "CON", " x", "x ", "x\x7f", "\u0131ndex", "i\u0307ndex", "\U0001F600", b"\xff\xfe", b"caf\xe9",
]


@mutation("odd-file-name")
def odd_file_name(project: Path, rng: random.Random) -> Applied:
    """A sheet or article renamed to a name that is not a slug: capitals, accents, a trailing newline,
    250 characters, bytes that are not UTF-8..."""
    name = rng.choice(ODD_NAMES)
    suffix = ".yml"
    path = rng.choice(sheet_files(project))
    if rng.random() < 0.2:
        path = rng.choice(article_files(project))
        suffix = ".md"
    if isinstance(name, bytes):
        target = os.fsencode(path.parent) + b"/" + name + suffix.encode()
        os.rename(os.fsencode(path), target)
        shown = repr(name + suffix.encode())
    else:
        path.rename(path.with_name(name + suffix))
        shown = repr(name + suffix)
    return Applied("odd-file-name", f"{rel(project, path)} renamed to {shown}", None)


@mutation("kind-folder")
def kind_folder(project: Path, rng: random.Random) -> Applied:
    """An unknown kind folder, a file in ``content/``, an empty kind folder, ``articles`` a file,
    no ``articles``, or ``content`` itself missing or a file."""
    content = project / "content"
    variant = rng.choice(["unknown", "capital", "file", "empty-kind", "articles-file", "no-articles",
                          "no-content", "content-file"])
    if variant == "unknown":
        folder = content / rng.choice(["actor", "people", "event"])
        folder.mkdir()
        shutil.copy(sheet_files(project)[0], folder / "x.yml")
        return Applied("kind-folder", f"{rel(project, folder)}: an unknown kind folder", "reject")
    if variant == "capital":
        (content / "actors").rename(content / "Actors")
        return Applied("kind-folder", "content/actors renamed to content/Actors", "reject")
    if variant == "file":
        shutil.copy(sheet_files(project)[0], content / "stray.yml")
        return Applied("kind-folder", "content/stray.yml: a sheet outside any kind folder", "reject")
    if variant == "empty-kind":
        kind = rng.choice(KINDS)
        for path in sheet_files(project, kind):
            references_renamed(project, path.stem, sheet_files(project, "places")[0].stem)
        # Emptying a kind removes sheets others cite: accept either verdict.
        shutil.rmtree(content / kind)
        (content / kind).mkdir()
        return Applied("kind-folder", f"content/{kind} emptied", None)
    if variant == "articles-file":
        shutil.rmtree(content / "articles")
        (content / "articles").write_text("not a folder\n", encoding="utf-8")
        return Applied("kind-folder", "content/articles is a file", "reject")
    if variant == "no-articles":
        shutil.rmtree(content / "articles")
        return Applied("kind-folder", "content/articles removed", "reject")
    if variant == "no-content":
        shutil.rmtree(content)
        return Applied("kind-folder", "content/ removed", "reject")
    shutil.rmtree(content)
    content.write_text("not a folder\n", encoding="utf-8")
    return Applied("kind-folder", "content is a file", "reject")


def _new_entry(project: Path, rng: random.Random, stem: str = "fuzzed") -> tuple[Path, str]:
    """A path for a new sheet (in a random kind folder) or, one time in five, a new article."""
    if rng.random() < 0.2:
        return project / "content" / "articles" / f"{stem}.md", "article"
    if rng.random() < 0.3:
        path = rng.choice(sheet_files(project))
        path.unlink()  # the entry takes an existing sheet's place
        return path, "replaced sheet"
    return project / "content" / rng.choice(KINDS) / f"{stem}.yml", "new sheet"


@mutation("dangling-symlink")
def dangling_symlink(project: Path, rng: random.Random) -> Applied:
    """A symlink to nothing, in a kind folder or the articles."""
    path, what = _new_entry(project, rng)
    target = rng.choice(["missing.yml", "/nonexistent/x.yml", "../../missing.md", "sub/missing.yml"])
    path.symlink_to(target)
    return Applied("dangling-symlink", f"{rel(project, path)} ({what}) -> {target}", "reject")


@mutation("symlink-outside")
def symlink_outside(project: Path, rng: random.Random) -> Applied:
    """A sheet or article that is a symlink to a file outside the project (a valid sheet whose name is
    secret, or a system file)."""
    outside = outside_of(project)
    path, what = _new_entry(project, rng)
    variant = rng.random()
    if variant < 0.6:
        target: Path | str = outside / (f"secret-{SENTINEL}" + (".md" if path.suffix == ".md" else ".yml"))
    elif variant < 0.8:
        target = rng.choice(["/etc/passwd", "/etc/hostname", "/etc/os-release", "/proc/self/environ",
                             "/proc/self/cmdline"])
    else:
        target = os.path.relpath(outside / f"secret-{SENTINEL}.yml", path.parent)
    path.symlink_to(target)
    return Applied("symlink-outside", f"{rel(project, path)} ({what}) -> {target}", "reject")


@mutation("symlink-folder-outside")
def symlink_folder_outside(project: Path, rng: random.Random) -> Applied:
    """A kind folder (or ``articles``) that is a symlink to a folder outside the project: a copy of its
    own sheets kept elsewhere, a folder of secrets, or ``/etc``."""
    outside = outside_of(project)
    kind = rng.choice([*KINDS, "articles"])
    folder = project / "content" / kind
    variant = rng.random()
    if variant < 0.6:
        target = outside / f"{kind}-{SENTINEL}"
    else:
        target = outside / f"odd-{SENTINEL}" if variant < 0.85 else Path("/etc")
    shutil.rmtree(folder)
    folder.symlink_to(target, target_is_directory=True)
    return Applied("symlink-folder-outside", f"content/{kind} -> {target}", "reject")


@mutation("symlink-inside")
def symlink_inside(project: Path, rng: random.Random) -> Applied:
    """A symlink to a file or folder inside the project: another sheet, a template, a folder of sheets,
    a loop, or itself."""
    variant = rng.choice(["sheet", "template", "folder", "loop", "self"])
    content = project / "content"
    if variant == "folder":
        link = content / rng.choice(KINDS) / "more"
        link.symlink_to("../places", target_is_directory=True)
        return Applied("symlink-inside", f"{rel(project, link)} -> ../places", None)
    path, what = _new_entry(project, rng, "linked")
    if variant == "sheet":
        target = os.path.relpath(rng.choice(sheet_files(project)), path.parent)
    elif variant == "template":
        target = os.path.relpath(project / "templates" / "sheet.md.j2", path.parent)
    elif variant == "loop":
        (path.parent / "loop-b.yml").symlink_to(path.name)
        target = "loop-b.yml"
    else:
        target = path.name
    path.symlink_to(target)
    return Applied("symlink-inside", f"{rel(project, path)} ({what}) -> {target}",
                   "reject" if variant in ("loop", "self", "template") else None)


@mutation("fifo")
def fifo(project: Path, rng: random.Random) -> Applied:
    """A named pipe called ``x.yml`` or ``x.md`` (opening it waits for a writer forever)."""
    path, what = _new_entry(project, rng)
    os.mkfifo(path)
    return Applied("fifo", f"{rel(project, path)} ({what}) is a FIFO", "reject")


@mutation("device")
def device(project: Path, rng: random.Random) -> Applied:
    """A symlink to ``/dev/zero``, ``/dev/urandom`` or ``/dev/null``, or such a device node itself."""
    path, what = _new_entry(project, rng)
    name, numbers = rng.choice([("zero", (1, 5)), ("urandom", (1, 9)), ("null", (1, 3)), ("full", (1, 7))])
    if rng.random() < 0.6:
        path.symlink_to(f"/dev/{name}")
        return Applied("device", f"{rel(project, path)} ({what}) -> /dev/{name}", "reject")
    try:
        os.mknod(path, 0o644 | stat.S_IFCHR, os.makedev(*numbers))
    except PermissionError:
        path.symlink_to(f"/dev/{name}")
        return Applied("device", f"{rel(project, path)} ({what}) -> /dev/{name} (mknod refused)", "reject")
    return Applied("device", f"{rel(project, path)} ({what}) is a character device like /dev/{name}",
                   "reject")


@mutation("socket-file")
def socket_file(project: Path, rng: random.Random) -> Applied:
    """A Unix socket called ``x.yml``."""
    path, what = _new_entry(project, rng)
    here = os.getcwd()
    os.chdir(path.parent)  # a socket's path is limited to 108 bytes: bind it by its bare name
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(path.name)
    finally:
        os.chdir(here)
    return Applied("socket-file", f"{rel(project, path)} ({what}) is a socket", "reject")


@mutation("dir-named-like-file")
def dir_named_like_file(project: Path, rng: random.Random) -> Applied:
    """A folder called ``x.yml`` (or ``x.md``), empty or holding a sheet."""
    path, what = _new_entry(project, rng)
    path.mkdir()
    if rng.random() < 0.5:
        shutil.copy(sheet_files(project)[0], path / "inner.yml")
        return Applied("dir-named-like-file", f"{rel(project, path)} ({what}) is a folder holding inner.yml")
    return Applied("dir-named-like-file", f"{rel(project, path)} ({what}) is an empty folder", None)


@mutation("unreadable")
def unreadable(project: Path, rng: random.Random) -> Applied:
    """A sheet, article or kind folder with mode 000 (root reads it anyway)."""
    path = project / "content" / rng.choice(KINDS) if rng.random() < 0.3 else any_content_file(project, rng)
    path.chmod(0)
    root = " (root: no effect)" if os.geteuid() == 0 else ""
    return Applied("unreadable", f"{rel(project, path)} chmod 000{root}")


@mutation("sparse-giant")
def sparse_giant(project: Path, rng: random.Random) -> Applied:
    """A 3 GiB sparse file (all NUL bytes) called ``x.yml`` or ``x.md``."""
    path, what = _new_entry(project, rng)
    size = rng.choice([3 << 30, 600 << 20])
    with path.open("wb") as handle:
        handle.truncate(size)
    return Applied("sparse-giant", f"{rel(project, path)} ({what}) is a sparse file of {size >> 20} MiB",
                   "reject")


# Mutations: articles -------------------------------------------------------------

FRONT_MATTER_VARIANTS: list[tuple[str, Callable[[str, str], str], Expect, int | None]] = [
    # (what, (front lines, body) -> whole file, expect, line of the error)
    ("no closing fence", lambda f, b: "---\n" + f + b.lstrip("-\n"), "reject", 1),
    ("'...' closes it", lambda f, b: "---\n" + f + "...\n" + b[4:], None, None),
    ("fences with trailing spaces", lambda f, b: "--- \n" + f + "---  \n" + b[4:], "accept", None),
    ("a list", lambda f, b: "---\n- " + f + "---\n" + b[4:], "reject", 2),
    ("no title", lambda f, b: "---\nheadline: x\n---\n" + b[4:], "reject", 2),
    ("an extra key on line 3", lambda f, b: "---\n" + f + "author: someone\n---\n" + b[4:], "reject", 3),
    ("an extra key on line 4", lambda f, b: "---\n# note\n" + f + "date: 2020-05-25\n---\n" + b[4:], "reject",
     4),
    ("an empty title", lambda f, b: '---\ntitle: ""\n---\n' + b[4:], "reject", 2),
    ("a null title", lambda f, b: "---\ntitle:\n---\n" + b[4:], "reject", 2),
    ("a mapping title", lambda f, b: "---\ntitle: {a: b}\n---\n" + b[4:], "reject", 2),
    ("a date title", lambda f, b: "---\ntitle: 2020-05-25\n---\n" + b[4:], "reject", 2),
    ("a yes title", lambda f, b: "---\ntitle: yes\n---\n" + b[4:], "reject", 2),
    ("a YAML error on line 3", lambda f, b: "---\n" + f + 'author: "unclosed\n---\n' + b[4:], "reject", 3),
    ("a YAML error on line 4", lambda f, b: "---\n# one\n# two\ntitle: [unclosed\n---\n" + b[4:], "reject",
     4),
    ("a tab-indented key", lambda f, b: "---\n" + f + "\tauthor: x\n---\n" + b[4:], "reject", 3),
    ("the title twice", lambda f, b: "---\n" + f + "title: Another\n---\n" + b[4:], "reject", 3),
    ("a BOM before the fence", lambda f, b: "\ufeff---\n" + f + b, "accept", None),
    ("a blank line before the fence", lambda f, b: "\n---\n" + f + b, None, None),
    ("four dashes", lambda f, b: "----\n" + f + "----" + b[3:], "reject", 1),
    ("no body", lambda f, b: "---\n" + f + "---\n", "reject", None),
    ("only blank lines after it", lambda f, b: "---\n" + f + "---\n\n  \n\t\n", "reject", None),
    ("a second front matter in the body",
     lambda f, b: "---\n" + f + "---\n---\ntitle: x\n---\n" + b[4:], None, None),
    ("a %YAML directive", lambda f, b: "---\n%YAML 1.1\n" + f + b, None, None),
    ("an anchor and alias", lambda f, b: "---\nx: &t Title\ntitle: *t\n---\n" + b[4:], "reject", 2),
    ("a 100,000-character title", lambda f, b: "---\ntitle: " + "T" * 100_000 + "\n---\n" + b[4:], None,
     None),
    ("CRLF line endings", lambda f, b: ("---\n" + f + b).replace("\n", "\r\n"), "accept", None),
    ("CR line endings", lambda f, b: ("---\n" + f + b).replace("\n", "\r"), "accept", None),
    ("a NUL in the title", lambda f, b: "---\ntitle: a\x00b\n---\n" + b[4:], "reject", 2),
    ("the title folded over lines", lambda f, b: "---\ntitle: >-\n  Folded\n  title\n---\n" + b[4:], "accept",
     None),
]


@mutation("article-front-matter")
def article_front_matter(project: Path, rng: random.Random) -> Applied:
    """An article's front matter unclosed, a list, without title, with extra keys, YAML errors on
    later lines, a duplicate title, a BOM, other line endings..."""
    path = rng.choice(article_files(project))
    _start, front, body = article_parts(path)
    what, build, expect, line = rng.choice(FRONT_MATTER_VARIANTS)
    write(path, build(front, body))
    where = rel(project, path)
    return Applied("article-front-matter", f"{where}: front matter with {what}", expect,
                   (where, line) if line else None)


@mutation("article-body")
def article_body(project: Path, rng: random.Random) -> Applied:
    """An article body with a fence line, 3,000 tiny paragraphs, raw HTML, a NUL or escape code, a
    1 MB line, odd blank lines."""
    path = rng.choice(article_files(project))
    start, front, body = article_parts(path)
    variant = rng.choice(["fence", "tiny", "html", "nul", "escape", "long-line", "odd-blank", "headings"])
    extra = {
        "fence": "---\n\nAfter a fence.\n",
        "tiny": "\n\n".join(f"P{i}." for i in range(3000)) + "\n",
        "html": "<script>alert(1)</script> <b onclick=alert(2)>x</b> {{ 7*7 }}\n",
        "nul": "A NUL \x00 here.\n",
        "escape": "An escape \x1b[2J\x1b]8;;https://evil.example/\x1b\\ here.\n",
        "long-line": "word " * 200_000 + "\n",
        "odd-blank": "\u00a0\n\u3000\n\u2028\nend.\n",
        "headings": "# Heading\n\n## Sub\n\n> quote\n",
    }[variant]
    write(path, start + front + body.rstrip("\n") + "\n\n" + extra)
    return Applied("article-body", f"{rel(project, path)}: body ends with {variant!r}",
                   "accept" if variant in ("html", "headings", "tiny", "fence") else None)


# Mutations: the ``new`` command ----------------------------------------------------

NEW_NAMES = ["x" * 300, "\u00e9" * 200, "Index", "Timeline", "Open data", "\U0001F600", "\x07bell",
             "a\n::error::b", "../../etc/passwd", "Turkey", "", "-", "a\x00b", "x" * 5000, "bad \udcff bytes",
             "\x1b[2Jclear", "Data", "a\u202eb", "CON", "\u0130stanbul"]


@mutation("new-command")
def new_command(project: Path, rng: random.Random) -> Applied:
    """``explainer new KIND NAME`` with a 300-character name, a reserved slug, an emoji, a control
    character, a path, an existing sheet's name..."""
    name = rng.choice(NEW_NAMES)
    kind = rng.choice(["actor", "event", "places", "equipment", "Actor", "../x"])
    return Applied("new-command", f"explainer new {kind} {name[:60]!r}"
                   + (f" ({len(name)} characters)" if len(name) > 60 else ""), None,
                   argv=("new", kind, name))
