"""Load articles and sheets from ``content/``, keeping the line of every value.

Loading never raises on bad content: it returns what it could load and a list
of :class:`~generator.errors.Problem` for the rest, so one run reports all.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from generator.errors import Problem
from generator.model import (
    KINDS,
    SLUG_PATTERN,
    Article,
    ArticleFrontMatter,
    LoadedSheet,
    Passage,
    line_of,
    sheet_model,
)
from generator.pydantic_messages import describe_validation_error

Loc = tuple[str | int, ...]

ARTICLES_DIR = "articles"
SHEET_SUFFIXES = (".yml", ".yaml")


@dataclass
class Content:
    """Everything under ``content/`` that loaded, plus the problems found."""

    articles: dict[str, Article] = field(default_factory=dict)
    sheets: dict[str, LoadedSheet] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def load_content(root: Path, content_dir: Path) -> Content:
    """Load every article and sheet under ``content_dir``.

    Paths in problems are relative to ``root`` (the project folder).
    """
    content = Content()
    if not content_dir.is_dir():
        content.problems.append(
            Problem(_rel(content_dir, root), 0, "content folder not found",
                    "Create it, or point the explainer at the right folder")
        )
        return content
    for entry in sorted(content_dir.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_file():
            content.problems.append(Problem(
                _rel(entry, root), 0,
                "file outside any kind folder",
                f"Move it into one of: {ARTICLES_DIR}/, " + ", ".join(f"{k}/" for k in KINDS),
            ))
        elif entry.name == ARTICLES_DIR:
            _load_articles(entry, root, content)
        elif entry.name in KINDS:
            _load_kind(entry, root, content)
        else:
            guess = difflib.get_close_matches(entry.name, [*KINDS, ARTICLES_DIR], n=1)
            hint = f"Did you mean '{guess[0]}'?" if guess else "Use one of: " + ", ".join(KINDS)
            content.problems.append(
                Problem(_rel(entry, root), 0, f"unknown kind folder '{entry.name}'", hint)
            )
    if not content.articles and not any(p.path.startswith(_rel(content_dir / ARTICLES_DIR, root))
                                         for p in content.problems):
        content.problems.append(Problem(
            _rel(content_dir / ARTICLES_DIR, root), 0, "no article found",
            "Add the article as a .md file with a title in its front matter",
        ))
    return content


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_text(path: Path, rel: str, problems: list[Problem]) -> str | None:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(rel, line, f"the file is not UTF-8 (byte 0x{data[exc.start]:02x})",
                                "Save it as UTF-8"))
        return None
    if not text.strip():
        problems.append(Problem(rel, 1, "the file is empty", "Fill it in, or delete it"))
        return None
    return text.removeprefix("\ufeff")


# Articles ---------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)


def _load_articles(folder: Path, root: Path, content: Content) -> None:
    for path in sorted(folder.iterdir()):
        rel = _rel(path, root)
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix != ".md":
            content.problems.append(Problem(rel, 0, "an article must be a .md file",
                                            "Rename it to end in .md"))
            continue
        article = _load_article(path, rel, content.problems)
        if article is not None:
            content.articles[article.slug] = article


def _load_article(path: Path, rel: str, problems: list[Problem]) -> Article | None:
    slug = path.stem
    if not SLUG_PATTERN.match(slug):
        problems.append(Problem(rel, 0, f"article file name '{path.name}' is not a slug",
                                "Use lowercase words joined by hyphens, e.g. 'my-article.md'"))
        return None
    text = _read_text(path, rel, problems)
    if text is None:
        return None
    match = _FRONT_MATTER.match(text)
    if match is None:
        problems.append(Problem(rel, 1, "the article has no front matter",
                                "Start it with '---', a line 'title: ...', and '---'"))
        return None
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        problems.append(_yaml_problem(rel, exc))
        return None
    except RecursionError:
        meta = None
    if not isinstance(meta, dict):
        problems.append(Problem(rel, 2, "the front matter must be 'title: ...'",
                                "Write the article's title as 'title: \"...\"'"))
        return None
    try:
        front = ArticleFrontMatter.model_validate(meta)
    except ValidationError as exc:
        for _loc, message, fix in describe_validation_error(exc, ArticleFrontMatter):
            problems.append(Problem(rel, 2, f"front matter: {message}", fix))
        return None
    body_start_line = match.group(0).count("\n") + 1
    passages = _split_passages(text[match.end():], body_start_line)
    if not passages:
        problems.append(Problem(rel, body_start_line, "the article has no paragraphs",
                                "Write its paragraphs after the front matter, separated by blank lines"))
        return None
    return Article(slug=slug, title=front.title, path=rel, passages=passages)


def _split_passages(body: str, first_line: int) -> tuple[Passage, ...]:
    passages: list[Passage] = []
    current: list[str] = []
    start = first_line
    for number, line in enumerate(body.split("\n"), start=first_line):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            passages.append(Passage(f"p{len(passages) + 1}", " ".join(current), start))
            current = []
    if current:
        passages.append(Passage(f"p{len(passages) + 1}", " ".join(current), start))
    return tuple(passages)


# Sheets -----------------------------------------------------------------

def _load_kind(folder: Path, root: Path, content: Content) -> None:
    kind = folder.name
    for path in sorted(folder.iterdir()):
        rel = _rel(path, root)
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix not in SHEET_SUFFIXES:
            content.problems.append(Problem(rel, 0, "a sheet must be a .yml file",
                                            "Rename it to end in .yml"))
            continue
        slug = path.stem
        if not SLUG_PATTERN.match(slug):
            content.problems.append(Problem(
                rel, 0, f"file name '{path.name}' is not a slug",
                "Use lowercase words joined by hyphens, e.g. 'khalifa-haftar.yml'"))
            continue
        loaded = load_sheet(path, rel, kind, content.problems)
        if loaded is None:
            continue
        if slug in content.sheets:
            other = content.sheets[slug]
            content.problems.append(Problem(
                rel, 1, f"duplicate slug '{slug}': {other.path} has it too",
                "Rename one of the files; slugs are unique across all kinds"))
            continue
        content.sheets[slug] = loaded


def load_sheet(path: Path, rel: str, kind: str, problems: list[Problem]) -> LoadedSheet | None:
    """Parse and validate one sheet file; append problems and return None if it is bad."""
    text = _read_text(path, rel, problems)
    if text is None:
        return None
    try:
        node, data = _parse(text, _FAST_LOADER)
    except (yaml.YAMLError, RecursionError):
        # libyaml's messages differ from PyYAML's; the pure-Python parser words them better.
        try:
            node, data = _parse(text, yaml.SafeLoader)
        except yaml.YAMLError as exc:
            problems.append(_yaml_problem(rel, exc))
            return None
        except RecursionError:
            problems.append(Problem(rel, 1, "the YAML is nested too deeply",
                                    "A sheet needs only a few levels: see the sheet guide"))
            return None
    if node is None or not isinstance(data, dict):
        found = "nothing" if data is None else type(data).__name__
        problems.append(Problem(rel, 1, f"a sheet must be a mapping of keys, found {found}",
                                "Start with 'name: ...' on the first line"))
        return None
    lines: dict[Loc, int] = {}
    _index_lines(node, (), lines, rel, problems, set())
    model = sheet_model(kind)
    try:
        sheet = model.model_validate(data)
    except ValidationError as exc:
        for loc, message, fix in describe_validation_error(exc, model):
            problems.append(Problem(rel, line_of(lines, loc), message, fix))
        return None
    return LoadedSheet(kind=kind, slug=path.stem, path=rel, sheet=sheet, lines=lines)


_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str, loader_class: type[yaml.SafeLoader]) -> tuple[yaml.Node | None, Any]:
    """Parse once, keeping the node tree (for line numbers) and the data built from it."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (_NodeValues(loader).value(node) if node is not None else None)
    finally:
        loader.dispose()


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class _NodeValues:
    """Python values of a node tree: the ones a sheet is made of (strings, lists, mappings
    with string keys) built directly, anything else by the loader's own safe constructor.

    The values are those the constructor gives; building the common ones here skips its
    per-node bookkeeping, a third of the time a large site spends reading YAML.
    """

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.built: dict[int, Any] = {}  # by node: an alias gets the same object, built once

    def value(self, node: yaml.Node) -> Any:
        """The value of ``node``."""
        if id(node) in self.built:
            return self.built[id(node)]
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        if node.tag == _SEQ and isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            self.built[id(node)] = items
            items.extend(self.value(item) for item in node.value)
            return items
        if node.tag == _MAP and isinstance(node, yaml.MappingNode) and all(
                key.tag == _STR and isinstance(key, yaml.ScalarNode) for key, _ in node.value):
            mapping: dict[str, Any] = {}
            self.built[id(node)] = mapping
            for key, item in node.value:
                mapping[key.value] = self.value(item)
            return mapping
        value = self.loader.construct_object(node, deep=True)
        self.built[id(node)] = value
        return value


def _index_lines(node: yaml.Node, loc: Loc, lines: dict[Loc, int], rel: str,
                 problems: list[Problem], seen_nodes: set[int]) -> None:
    """Record the 1-based line of every key and item under ``node``; flag duplicate keys."""
    lines.setdefault(loc, node.start_mark.line + 1)
    if id(node) in seen_nodes:
        return  # an alias: walking it again could take exponential time ("billion laughs")
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                problems.append(Problem(rel, key_node.start_mark.line + 1,
                                        f"duplicate key '{key}'", "Keep only one of them"))
            seen.add(key)
            lines[(*loc, key)] = key_node.start_mark.line + 1
            _index_lines(value_node, (*loc, key), lines, rel, problems, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*loc, index), lines, rel, problems, seen_nodes)


def _yaml_problem(rel: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else 1
    what = getattr(exc, "problem", None) or "malformed YAML"
    context = getattr(exc, "context", None)
    message = f"malformed YAML: {what}" + (f" ({context})" if context else "")
    return Problem(rel, line, message,
                   "Check the indentation and quoting on this line or the one above; "
                   "quote text that contains ': ' or starts with a quote")
