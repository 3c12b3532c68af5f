"""Load articles and sheets from ``content/``, keeping the line of every value.

Loading never raises on bad content: it returns what it could load and a list
of :class:`~generator.errors.Problem` for the rest, so one run reports all.
Which files are read, and how, is :mod:`generator.files`' job; how YAML is read,
:mod:`generator.yamlread`'s.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from generator.errors import Problem
from generator.files import Entry, decode, entries, inside, read_bytes, read_text, rel_path
from generator.model import (
    KINDS,
    SLUG_PATTERN,
    Article,
    ArticleFrontMatter,
    Heading,
    LoadedSheet,
    Passage,
    Story,
    line_of,
    sheet_model,
)
from generator.pages import RESERVED_SLUGS
from generator.parallel import fork_map
from generator.pydantic_messages import describe_validation_error
from generator.yamlread import Lines, PackedLines, parse

T = TypeVar("T")
M = TypeVar("M")

ARTICLES_DIR = "articles"
STORY_FILE = "story.yml"
"""The optional file, directly in ``content/``, that tells the story on the home page."""
SHEET_SUFFIXES = (".yml", ".yaml")


FileStamp = tuple[int, int, int, int]
"""A file's inode, size, and modification and change times (ns): what says it was not written."""

FileMemo = dict[tuple[str, str], tuple[str, object, tuple[Problem, ...], FileStamp | None]]
"""What each content file gave when last read, by (path, what it was read as): its digest, its
result, its problems and its stamp. A build that finds the same stamp reuses them without
reading the file; one that finds the same digest, without parsing it again."""

SETTLED_NS = 2_000_000_000
"""How long after its last write a file's stamp is trusted. A file written again within the
file system's clock tick could keep its stamp (git's "racy" files): one written that recently
is read again by the next build."""


@dataclass(frozen=True)
class RawSheet:
    """A sheet that parsed as YAML but failed validation: its data, for the checks that still apply."""

    path: str
    data: object
    lines: Lines


@dataclass(frozen=True)
class LoadedStory:
    """The home page's story, with where it came from and the line of every value."""

    path: str
    story: Story
    lines: PackedLines


@dataclass
class Content:
    """Everything under ``content/`` that loaded, plus the problems found."""

    articles: dict[str, Article] = field(default_factory=dict)
    sheets: dict[str, LoadedSheet] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    story: LoadedStory | None = None
    raw: dict[str, RawSheet] = field(default_factory=dict)
    """Sheets that failed validation, by slug: references to them are not reported as missing,
    and their quotes are still checked."""
    digests: dict[str, str] = field(default_factory=dict)
    """Each content file's digest, by its path relative to the project: what a later build compares."""
    memo: FileMemo | None = None

    @property
    def failed(self) -> set[str]:
        """Slugs of sheet files that exist but failed to load."""
        return set(self.raw)


def load_content(root: Path, content_dir: Path, memo: FileMemo | None = None,
                 workers: int | None = None) -> Content:
    """Load every article and sheet under ``content_dir``.

    Paths in problems are relative to ``root`` (the project folder), and nothing outside
    ``root`` is read. With ``memo`` (kept from an earlier load), a file whose bytes did not
    change is not parsed again; the memo is left holding exactly the files of this load.
    The sheets are read by up to ``workers`` processes (:func:`~generator.parallel.fork_map`).
    """
    content = Content(memo=memo)
    rel = rel_path(content_dir, root)
    if not content_dir.is_dir():
        content.problems.append(Problem(rel, 0, "content folder not found",
                                        "Create it, or point the explainer at the right folder"))
        return content
    if not inside(content_dir, root):
        content.problems.append(Problem(rel, 0, "the content folder is outside the project",
                                        "Content must live in the repository"))
        return content
    sheet_files: list[tuple[Entry, str, str]] = []
    for entry in entries(content_dir, root, content.problems):
        if entry.name == STORY_FILE and not entry.is_dir:
            content.story = _remembered(content, entry, "story", functools.partial(_load_story, entry))
        elif not entry.is_dir:
            content.problems.append(Problem(
                entry.rel, 0, "file outside any kind folder",
                f"Move it into one of: {ARTICLES_DIR}/, " + ", ".join(f"{k}/" for k in KINDS)
                + f" (only {STORY_FILE} sits here)"))
        elif entry.name == ARTICLES_DIR:
            _load_articles(entry, root, content)
        elif entry.name in KINDS:
            sheet_files += _sheet_files(entry, root, content)
        else:
            guess = difflib.get_close_matches(entry.name, [*KINDS, ARTICLES_DIR], n=1)
            hint = f"Did you mean '{guess[0]}'?" if guess else "Use one of: " + ", ".join(KINDS)
            content.problems.append(Problem(entry.rel, 0, f"unknown kind folder '{entry.name}'", hint))
    _load_sheets(sheet_files, content, workers)
    if memo is not None:
        for key in [key for key in memo if key[0] not in content.digests]:
            del memo[key]
    articles_rel = f"{rel}/{ARTICLES_DIR}"
    if not content.articles and not any(p.path.startswith(articles_rel) for p in content.problems):
        content.problems.append(Problem(articles_rel, 0, "no article found",
                                        "Add the article as a .md file with a title in its front matter"))
    return content


def _files_of(folder: Entry, root: Path, problems: list[Problem], example: str) -> list[Entry]:
    """The files of a kind or articles folder; a folder inside it is reported, never read."""
    files = []
    for entry in entries(folder.path, root, problems):
        if entry.is_dir:
            problems.append(Problem(entry.rel, 0, f"a folder inside '{folder.name}/' is not read",
                                    f"Move its files up into {folder.rel}/ (e.g. {folder.rel}/{example})"))
        else:
            files.append(entry)
    return files


def _slug_of(entry: Entry, suffixes: tuple[str, ...], problems: list[Problem], example: str) -> str | None:
    """The slug a content file's name gives, or None (reported) when it cannot be one."""
    path = Path(entry.name)
    if path.suffix not in suffixes:
        problems.append(Problem(entry.rel, 0, f"a {'sheet' if '.yml' in suffixes else 'article'} must be "
                                f"a {suffixes[0]} file", f"Rename it to end in {suffixes[0]}"))
        return None
    slug = path.stem
    if not SLUG_PATTERN.fullmatch(slug):
        problems.append(Problem(entry.rel, 0, f"file name '{entry.name}' is not a slug",
                                f"Use lowercase words joined by hyphens, e.g. '{example}'"))
        return None
    if slug in RESERVED_SLUGS:
        problems.append(Problem(entry.rel, 0, f"the name '{slug}' is taken by a page the site generates",
                                f"Rename the file, e.g. '{slug}-1{path.suffix}'"))
        return None
    return slug


# Articles ---------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


def _load_articles(folder: Entry, root: Path, content: Content) -> None:
    for entry in _files_of(folder, root, content.problems, "my-article.md"):
        slug = _slug_of(entry, (".md",), content.problems, "my-article.md")
        if slug is None:
            continue
        article = _remembered(content, entry, "article", functools.partial(_load_article, entry, slug))
        if article is not None:
            content.articles[slug] = article


def _remembered(content: Content, entry: Entry, what: str,
                load: Callable[[str, list[Problem]], T]) -> T | None:
    """What ``load`` makes of a file's text, reused from the memo when the file was not written
    since (its stamp is the same) or its bytes are the same."""
    return _keep(content, entry, what, _read(content.memo, entry, what, load))  # type: ignore[return-value]


@dataclass(frozen=True)
class _Read:
    """What reading one content file gave, before it is recorded in the :class:`Content`."""

    digest: str | None
    """None when the file could not be read (the problems say why)."""
    result: object
    problems: tuple[Problem, ...]
    stamp: FileStamp | None


def _read(memo: FileMemo | None, entry: Entry, what: str, load: Callable[[str, list[Problem]], T]) -> _Read:
    """Read and load one file, or take the memo's result where the file is the same."""
    return _recall(memo, entry, what) or _read_again(memo, entry, what, load)


def _recall(memo: FileMemo | None, entry: Entry, what: str) -> _Read | None:
    """The memo's result for a file not written since it was last read (its stamp is the same).

    At 30,000 sheets, reading and hashing every file was a second of each save.
    """
    hit = memo.get((entry.rel, what)) if memo is not None else None
    if hit is None or hit[3] is None or _stamp(entry) != hit[3]:
        return None
    return _Read(hit[0], hit[1], hit[2], hit[3])


def _read_again(memo: FileMemo | None, entry: Entry, what: str,
                load: Callable[[str, list[Problem]], T]) -> _Read:
    """Read a file; load it unless the memo has the same bytes."""
    hit = memo.get((entry.rel, what)) if memo is not None else None
    stamp = _stamp(entry) if memo is not None else None
    problems: list[Problem] = []
    data = read_bytes(entry, problems)
    if data is None:
        return _Read(None, None, tuple(problems), stamp)
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    if hit is not None and hit[0] == digest:
        return _Read(digest, hit[1], hit[2], stamp)
    text = decode(entry, data, problems)
    result = load(text, problems) if text is not None else None
    return _Read(digest, result, tuple(problems), stamp)


def _keep(content: Content, entry: Entry, what: str, read: _Read) -> object:
    """Record what reading a file gave (its digest, problems and memo entry); return its result."""
    content.problems.extend(read.problems)
    if read.digest is None:
        return None
    content.digests[entry.rel] = read.digest
    if content.memo is not None:
        content.memo[(entry.rel, what)] = (read.digest, read.result, read.problems, read.stamp)
    return read.result


def _stamp(entry: Entry) -> FileStamp | None:
    """The file's stamp, or None when it was written too recently for the stamp to be trusted."""
    try:
        info = os.stat(entry.path)
    except OSError:
        return None
    if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) < SETTLED_NS:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _load_article(entry: Entry, slug: str, text: str, problems: list[Problem]) -> Article | None:
    match = _FRONT_MATTER.match(text)
    if match is None:
        problems.append(Problem(entry.rel, 1, "the article has no front matter",
                                "Start it with '---', a line 'title: ...', and '---'"))
        return None
    parsed = parse(match.group(1) or "", entry.rel, problems, first_line=2)
    if parsed is None:
        return None
    if not isinstance(parsed.data, dict):
        problems.append(Problem(entry.rel, 2, "the front matter must be 'key: value' lines, starting "
                                "with 'title: ...'",
                                "Write the article's title as 'title: \"...\"'"))
        return None
    front = _validate(ArticleFrontMatter, parsed.data, parsed.lines, entry.rel, problems, "front matter: ")
    if not isinstance(front, ArticleFrontMatter):
        return None
    body_start_line = match.group(0).count("\n") + 1
    passages, headings = _split_blocks(text[match.end():], body_start_line)
    if not passages:
        problems.append(Problem(entry.rel, body_start_line, "the article has no paragraphs",
                                "Write its paragraphs after the front matter, separated by blank lines"))
        return None
    return Article(slug=slug, title=front.title, path=entry.rel, passages=passages,
                   publisher=front.publisher, url=front.url, published=front.published,
                   author=front.author, headings=headings,
                   digest=hashlib.blake2b(text.encode(), digest_size=16).hexdigest())


_HEADING = re.compile(r"(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")


def _split_blocks(body: str, first_line: int) -> tuple[tuple[Passage, ...], tuple[Heading, ...]]:
    """The body's paragraphs (the passages) and its Markdown headings, which are not passages."""
    passages: list[Passage] = []
    headings: list[Heading] = []
    current: list[str] = []
    start = first_line

    def close() -> None:
        if current:
            passages.append(Passage(f"p{len(passages) + 1}", " ".join(current), start))
            current.clear()

    for number, line in enumerate(body.split("\n"), start=first_line):
        heading = _HEADING.fullmatch(line.strip())
        if heading and heading.group(2):
            close()  # as in Markdown, a heading line ends the paragraph before it
            headings.append(Heading(heading.group(2), len(heading.group(1)), len(passages), number))
        elif line.strip():
            if not current:
                start = number
            current.append(line.strip())
        else:
            close()
    close()
    return tuple(passages), tuple(headings)


# Sheets -----------------------------------------------------------------

def _sheet_files(folder: Entry, root: Path, content: Content) -> list[tuple[Entry, str, str]]:
    """(file, slug, kind) of each sheet file in a kind folder; a file that cannot be one is reported."""
    kind = folder.name
    found = []
    for entry in _files_of(folder, root, content.problems, "khalifa-haftar.yml"):
        slug = _slug_of(entry, SHEET_SUFFIXES, content.problems, "khalifa-haftar.yml")
        if slug is not None:
            found.append((entry, slug, kind))
    return found


def _load_sheets(files: list[tuple[Entry, str, str]], content: Content, workers: int | None) -> None:
    """Load the sheet files, shared among up to ``workers`` processes, and record them in order."""
    memo = content.memo
    recalled = [_recall(memo, entry, kind) for entry, _, kind in files]

    def read(file: tuple[Entry, str, str]) -> _Read:
        entry, slug, kind = file
        return _read_again(memo, entry, kind, functools.partial(_load_sheet, entry, slug, kind))

    # Only the files written since the last load go to other processes (all of them, the first time).
    read_again = iter(fork_map(read, [file for file, hit in zip(files, recalled, strict=True) if hit is None],
                               workers=workers))
    for (entry, slug, kind), hit in zip(files, recalled, strict=True):
        loaded = _keep(content, entry, kind, hit or next(read_again))
        if not isinstance(loaded, LoadedSheet):
            content.raw.setdefault(slug, loaded if isinstance(loaded, RawSheet)
                                   else RawSheet(entry.rel, None, {}))
            continue
        if slug in content.sheets:
            other = content.sheets[slug]
            content.problems.append(Problem(
                entry.rel, 1, f"duplicate slug '{slug}': {other.path} has it too",
                "Rename one of the files; slugs are unique across all kinds"))
            continue
        content.sheets[slug] = loaded


def load_sheet(path: Path, rel: str, kind: str, problems: list[Problem]) -> LoadedSheet | None:
    """Parse and validate the sheet file at ``path``; append problems and return None if it is bad."""
    entry = Entry(path, rel, path.name, False)
    text = read_text(entry, problems)
    loaded = _load_sheet(entry, path.stem, kind, text, problems) if text is not None else None
    return loaded if isinstance(loaded, LoadedSheet) else None


def _load_sheet(entry: Entry, slug: str, kind: str, text: str,
                problems: list[Problem]) -> LoadedSheet | RawSheet:
    """The sheet, or its raw data (None if it did not parse) when it failed validation."""
    parsed = parse(text, entry.rel, problems)
    if parsed is None:
        return RawSheet(entry.rel, None, {})
    if not isinstance(parsed.data, dict):
        found = "nothing" if parsed.data is None else type(parsed.data).__name__
        problems.append(Problem(entry.rel, 1, f"a sheet must be a mapping of keys, found {found}",
                                "Start with 'name: ...' on the first line"))
        return RawSheet(entry.rel, None, {})
    model = sheet_model(kind)
    sheet = _validate(model, parsed.data, parsed.lines, entry.rel, problems)
    if sheet is None:
        return RawSheet(entry.rel, parsed.data, parsed.lines)
    assert isinstance(sheet, model)
    return LoadedSheet(kind=kind, slug=slug, path=entry.rel, sheet=sheet,
                       lines=PackedLines.pack(parsed.lines),
                       digest=hashlib.blake2b(text.encode(), digest_size=16).hexdigest())


def _load_story(entry: Entry, text: str, problems: list[Problem]) -> LoadedStory | None:
    parsed = parse(text, entry.rel, problems)
    if parsed is None:
        return None
    if not isinstance(parsed.data, dict):
        problems.append(Problem(entry.rel, 1, "the story must be 'sentences:' with a list of claims",
                                "See the sheet guide"))
        return None
    story = _validate(Story, parsed.data, parsed.lines, entry.rel, problems)
    return LoadedStory(entry.rel, story, PackedLines.pack(parsed.lines)) if isinstance(story, Story) else None


def _validate(model: type[M], data: dict[object, object], lines: Lines, rel: str,
              problems: list[Problem], prefix: str = "") -> M | None:
    """``data`` validated as ``model``, or None with one problem per error, each at its line."""
    try:
        return _validator(model).validate_python(data)
    except ValidationError as exc:
        for loc, message, fix in describe_validation_error(exc, model):
            problems.append(Problem(rel, line_of(lines, loc), prefix + message, fix))
        return None


_VALIDATORS: dict[type, TypeAdapter[Any]] = {}


def _validator(model: type[M]) -> TypeAdapter[M]:
    """The validator of a content model, made once (making one compiles its whole schema)."""
    found = _VALIDATORS.get(model)
    if found is None:
        found = _VALIDATORS[model] = TypeAdapter(model)
    return found
