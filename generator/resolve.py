"""Resolve every quote to its passage and every reference (relation target, source, outlet,
disputed claim) to what it names.

A quote's article is found from its words: adding an article to a project never makes an
existing sheet name its article. ``article:`` is needed only when the words occur in more
than one article.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.errors import Problem
from generator.load import Content, RawSheet
from generator.model import KINDS, Article, LoadedSheet, Sourced, line_of
from generator.parallel import fork_map
from generator.quotes import (
    Ambiguous,
    Span,
    article_words,
    closest,
    find,
    find_all,
    forget_passages,
    normalise_text,
    normalised_article,
    spanned,
)
from generator.yamlread import Lines, Loc, PackedLines

STORY = "_story"
"""The sheet name of the story's sentences: no sheet's slug starts with '_'."""

CitationKind = Literal["claim", "relation", "date"]
CITATION_KINDS: tuple[CitationKind, ...] = ("claim", "relation", "date")
"""The parts of a sheet that quote an article, in the order a sheet lists them."""



@dataclass(frozen=True, slots=True)
class Citation:
    """A part of a sheet (a claim, a relation or an event's date) and the span of the article it quotes.

    ``number`` is the part's position on its sheet among parts of its kind, from 1 (the date
    has 0); ``text`` is the claim's text, the relation's type or the date's words.
    """

    kind: CitationKind
    sheet: str
    number: int
    text: str
    attribution: str | None
    span: Span
    source: str | None = None
    """The sheet of who the article says says it."""
    via: str | None = None
    """The sheet of the outlet it went through."""
    inference: str | None = None
    """Set when it goes beyond the quoted words: how it follows from them."""

    @property
    def anchor(self) -> str:
        """The id of the part on its sheet's page: ``claim-3``, ``relation-2`` or ``date``."""
        return "date" if self.kind == "date" else f"{self.kind}-{self.number}"

    @property
    def id(self) -> str:
        """Unique across the site: ``<sheet>/<anchor>``."""
        return f"{self.sheet}/{self.anchor}"

    @property
    def order(self) -> tuple[int, int]:
        """Where the part sits on its sheet: claims, then relations, then the date."""
        return CITATION_KINDS.index(self.kind), self.number


@dataclass(frozen=True, slots=True)
class Link:
    """A resolved relation between two sheets."""

    source: str
    type: str
    target: str
    citation: Citation
    role: str | None = None


@dataclass(frozen=True)
class Dispute:
    """Two claims giving conflicting accounts: ``claim`` says it disputes ``disputed``."""

    claim: Citation
    disputed: Citation


@dataclass(frozen=True)
class Resolved:
    """Content whose every quote and reference has been checked.

    ``sheets`` is ordered by kind, then name; ``articles`` by slug. ``citations`` holds every
    claim, relation and date that quotes an article, in sheet order, then in order on the sheet
    (see :attr:`Citation.order`); each link's citation is among them.
    """

    articles: dict[str, Article]
    sheets: dict[str, LoadedSheet]
    citations: tuple[Citation, ...]
    links: tuple[Link, ...]
    disputes: tuple[Dispute, ...] = ()
    story: tuple[Citation, ...] = ()
    """The home page's story: its sentences, each citing a passage (sheet :data:`STORY`)."""

    @property
    def claims(self) -> tuple[Citation, ...]:
        """The citations that are claims."""
        return tuple(c for c in self.citations if c.kind == "claim")


@dataclass
class QuoteMemo:
    """Where quotes were found, kept between builds while the articles stay the same."""

    articles: tuple[tuple[str, str], ...] = ()
    """(slug, digest) of the articles the spans were found in."""
    spans: dict[tuple[str, str | None], Span] = field(default_factory=dict)
    """(quote, article named) -> where it is: only quotes found once, which need no message."""
    names: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
    """The sheets there were, and those that failed: what a sheet's references are checked against."""
    sheets: dict[str, tuple[str, _SheetResult]] = field(default_factory=dict)
    """Sheet path -> (its digest, what resolving it gave), while the articles and names stay the same."""


@dataclass(frozen=True, slots=True)
class _SheetResult:
    """What resolving one sheet gives: the same for the same sheet, articles and sheet names."""

    citations: tuple[Citation, ...]
    links: tuple[Link, ...]
    problems: tuple[Problem, ...]
    disputes: tuple[tuple[int, str], ...]
    """(claim index, 'sheet/id') of each claim it says disputes another."""


def resolve_content(content: Content, memo: QuoteMemo | None = None,
                    workers: int | None = None) -> tuple[Resolved, list[Problem]]:
    """Resolve quotes and references; return the result and every problem found.

    With ``memo`` (kept from an earlier build), quotes already found are not searched again
    unless an article changed. The sheets are resolved by up to ``workers`` processes
    (:func:`~generator.parallel.fork_map`).
    """
    problems = list(content.problems)
    articles = dict(sorted(content.articles.items()))
    if memo is not None:
        versions = tuple((slug, article.digest) for slug, article in articles.items())
        names = (frozenset(content.sheets), frozenset(content.failed))
        if memo.articles != versions or memo.names != names:
            memo.sheets = {}
        if memo.articles != versions:
            memo.articles, memo.spans = versions, {}
        memo.names = names
    sheets = dict(sorted(
        content.sheets.items(),
        key=lambda item: (KINDS.index(item[1].kind), item[1].sheet.name.casefold(), item[0]),
    ))
    finder = _Finder(articles, memo.spans if memo is not None else None)
    references = _References(sheets, set(content.failed), problems)
    citations: list[Citation] = []
    links: list[Link] = []
    problems.extend(_duplicate_names(sheets))
    known = memo.sheets if memo is not None else {}
    # A save changes one sheet: the others' citations, links and problems are the last
    # build's (at 30,000 sheets, resolving them all again was a second of each save).
    todo = [(slug, loaded) for slug, loaded in sheets.items()
            if loaded.path not in known or known[loaded.path][0] != loaded.digest]
    if len(todo) > 1:
        finder.prepare()  # once, here, rather than in each process that shares the work
    fresh = dict(zip((slug for slug, _ in todo), fork_map(
        lambda item: _resolve_sheet(item[0], item[1], finder, references), todo, workers=workers),
        strict=True))
    kept: dict[str, tuple[str, _SheetResult]] = {}
    for slug, loaded in sheets.items():
        result = fresh[slug] if slug in fresh else known[loaded.path][1]
        kept[loaded.path] = (loaded.digest, result)
        citations.extend(result.citations)
        links.extend(result.links)
        problems.extend(result.problems)
        references.pending.extend((loaded, index, reference) for index, reference in result.disputes)
    if memo is not None:
        memo.sheets = kept
    for raw in content.raw.values():
        # A sheet that failed validation still has its quotes checked: every error in one pass.
        for loc, quote, article in _raw_quotes(raw):
            finder.locate(raw.path, raw.lines, loc, quote, article, problems)
    disputes = references.disputes(citations)
    story = []
    if content.story is not None:
        for index, line in enumerate(content.story.story.sentences):
            loc = ("sentences", index)
            span = finder.locate(content.story.path, content.story.lines, loc, line.quote, line.article,
                                 problems)
            for key, named in (("source", line.source), ("via", line.via)):
                if named is not None and named not in sheets and named not in content.failed:
                    problems.append(Problem(content.story.path, line_of(content.story.lines, (*loc, key)),
                                            f"{key} '{named}' does not exist",
                                            "Use the file name of an existing sheet"))
            if span is not None:
                story.append(_citation("claim", STORY, index + 1, line.text, line, span))
    forget_passages()
    return Resolved(articles, sheets, tuple(citations), tuple(links), disputes, tuple(story)), problems


def _resolve_sheet(slug: str, loaded: LoadedSheet, finder: _Finder, references: _References) -> _SheetResult:
    """Find one sheet's quotes and check what it names."""
    problems: list[Problem] = []
    shared, references.problems = references.problems, problems
    pending = len(references.pending)
    citations: list[Citation] = []
    links: list[Link] = []
    sheet = loaded.sheet
    for index, claim in enumerate(sheet.claims):
        loc: Loc = ("claims", index)
        span = finder.locate(loaded.path, loaded.lines, loc, claim.quote, claim.article, problems)
        references.check_sourced(loaded, loc, claim)
        if span is not None:
            citations.append(_citation("claim", slug, index + 1, claim.text, claim, span))
    for index, relation in enumerate(sheet.relations):
        loc = ("relations", index)
        span = finder.locate(loaded.path, loaded.lines, loc, relation.quote, relation.article, problems)
        target_ok = references.check(loaded, (*loc, "target"), relation.target, "relation target")
        references.check_sourced(loaded, loc, relation)
        if span is not None and target_ok:
            citation = _citation("relation", slug, index + 1, relation.type, relation, span)
            citations.append(citation)
            links.append(Link(slug, relation.type, relation.target, citation, relation.role))
    date = getattr(sheet, "date", None)
    if date is not None and date.quote is not None and date.as_written is not None:
        loc = ("date",)
        span = finder.locate(loaded.path, loaded.lines, loc, date.quote, date.article, problems)
        if not find_all(date.as_written, date.quote):
            problems.append(Problem(
                loaded.path, loaded.line("date", "as_written"),
                f"date '{date.as_written}' is not in the date's quote",
                "Write the time exactly as the quoted words give it"))
        elif span is not None:
            citations.append(Citation("date", slug, 0, date.as_written, None, span))
    disputes = tuple((index, reference) for _, index, reference in references.pending[pending:])
    del references.pending[pending:]
    references.problems = shared
    return _SheetResult(tuple(citations), tuple(links), tuple(problems), disputes)


def _citation(kind: CitationKind, sheet: str, number: int, text: str, part: Sourced, span: Span) -> Citation:
    return Citation(kind, sheet, number, text, part.attribution, span, part.source, part.via, part.inference)


def _raw_quotes(raw: RawSheet) -> Iterator[tuple[Loc, str, str | None]]:
    """(location, quote, article) of every well-formed claim and relation of a sheet that failed."""
    data: Any = raw.data
    for key in ("claims", "relations"):
        items = data.get(key) if isinstance(data, dict) else None
        for index, item in enumerate(items if isinstance(items, list) else []):
            quote = item.get("quote") if isinstance(item, dict) else None
            if isinstance(quote, str) and quote.strip():
                article = item.get("article")
                yield (key, index), quote, article if isinstance(article, str) else None


def _duplicate_names(sheets: dict[str, LoadedSheet]) -> list[Problem]:
    problems = []
    seen: dict[str, LoadedSheet] = {}
    for loaded in sheets.values():
        key = normalise_text(loaded.sheet.name).casefold()
        if key in seen:
            problems.append(Problem(
                loaded.path, loaded.line("name"),
                f"name '{loaded.sheet.name}' is already used by {seen[key].path}",
                "Merge the two sheets, or give each a distinct name"))
        else:
            seen[key] = loaded
    return problems


class _References:
    """Checks what sheets name: relation targets, sources, outlets and disputed claims."""

    def __init__(self, sheets: dict[str, LoadedSheet], failed: set[str], problems: list[Problem]) -> None:
        self.sheets = sheets
        self.failed = failed  # sheets that failed validation: their own errors say why
        self.problems = problems
        self.pending: list[tuple[LoadedSheet, int, str]] = []  # (sheet, claim index, 'sheet/id')

    def check(self, loaded: LoadedSheet, loc: Loc, target: str, what: str, *, itself: bool = False) -> bool:
        """Whether ``target`` (at ``loc`` on ``loaded``) names a sheet (another one, unless
        ``itself``); reports it if not."""
        if target == loaded.slug and itself:
            return True
        if target == loaded.slug:
            self.problems.append(Problem(loaded.path, loaded.line(*loc), f"the {what} is this sheet itself",
                                         "Point it at another sheet"))
            return False
        if target in self.failed:
            return False
        if target not in self.sheets:
            guess = difflib.get_close_matches(target, list(self.sheets), n=1)
            fix = (f"Did you mean '{guess[0]}'?" if guess
                   else "Create that sheet, or use the file name of an existing one")
            self.problems.append(Problem(loaded.path, loaded.line(*loc), f"{what} '{target}' does not exist",
                                         fix))
            return False
        return True

    def check_sourced(self, loaded: LoadedSheet, loc: Loc, part: Sourced) -> None:
        """Check the source and outlet a claim or relation names, and remember what it disputes."""
        if part.source is not None:
            self.check(loaded, (*loc, "source"), part.source, "source", itself=True)
        if part.via is not None:
            self.check(loaded, (*loc, "via"), part.via, "outlet ('via')", itself=True)
        disputes = getattr(part, "disputes", None)
        if disputes is not None and isinstance(loc[1], int):
            self.pending.append((loaded, loc[1], disputes))

    def disputes(self, citations: list[Citation]) -> tuple[Dispute, ...]:
        """The disputes between claims, each disputed claim checked to exist."""
        claims = {(c.sheet, c.number): c for c in citations if c.kind == "claim"}
        found = []
        for loaded, index, reference in self.pending:
            sheet_slug, claim_id = reference.split("/", 1)
            loc: Loc = ("claims", index, "disputes")
            if not self.check(loaded, loc, sheet_slug, "disputed claim's sheet"):
                continue
            other = self.sheets[sheet_slug]
            numbers = [n for n, claim in enumerate(other.sheet.claims, 1) if claim.id == claim_id]
            if not numbers:
                ids = [c.id for c in other.sheet.claims if c.id]
                fix = (f"Claims with an id on {other.path}: " + ", ".join(ids) if ids
                       else f"Give the claim on {other.path} an 'id:' and name it here")
                self.problems.append(Problem(loaded.path, loaded.line(*loc),
                                             f"'{sheet_slug}' has no claim with id '{claim_id}'", fix))
                continue
            mine, theirs = claims.get((loaded.slug, index + 1)), claims.get((sheet_slug, numbers[0]))
            if mine is not None and theirs is not None:
                found.append(Dispute(mine, theirs))
        return tuple(found)


class _Finder:
    """Finds a quote's article and passage across every article of the project."""

    def __init__(self, articles: dict[str, Article],
                 known: dict[tuple[str, str | None], Span] | None = None) -> None:
        self.articles = articles
        self.known = known
        self.order = {slug: n for n, slug in enumerate(articles)}
        self._words: dict[str, set[str]] | None = None

    def prepare(self) -> None:
        """Normalise every article and index its words now, before the work is shared out."""
        for article in self.articles.values():
            normalised_article(article)
        if len(self.articles) > 1:
            self.words()

    def words(self) -> dict[str, set[str]]:
        """Word -> the articles it occurs in (built once, only when there are several articles)."""
        if self._words is None:
            self._words = defaultdict(set)
            for slug, article in self.articles.items():
                for word in article_words(article):  # its normalised text is kept: not made again
                    self._words[word].add(slug)
        return self._words

    def candidates(self, quote: str) -> list[Article]:
        """The articles that may hold ``quote``: those with all of its inner words."""
        if len(self.articles) <= 1:
            return list(self.articles.values())
        inner = normalise_text(quote).split(" ")[1:-1]  # the first and last words may be cut
        if not inner:
            return list(self.articles.values())
        words = self.words()
        # From the rarest word down, so the work is the size of the smallest list, not the number
        # of articles (a running story has thousands, and every quote is looked up).
        rarest, *rest = sorted(inner, key=lambda w: len(words.get(w, ())))
        slugs = set(words.get(rarest, ()))
        for word in rest:
            if not slugs:
                break
            slugs &= words.get(word, set())
        return sorted((self.articles[slug] for slug in slugs), key=lambda a: self.order[a.slug])

    def locate(self, path: str, lines: Lines | PackedLines, loc: Loc, quote: str, named: str | None,
               problems: list[Problem]) -> Span | None:
        """The span ``quote`` (at ``loc`` of file ``path``) rests on; reports why when there is none."""
        if self.known is not None and (known := self.known.get((quote, named))) is not None:
            return known
        span = self._locate(path, lines, loc, quote, named, problems)
        if span is not None and self.known is not None:
            self.known[(quote, named)] = span
        return span

    def _locate(self, path: str, lines: Lines | PackedLines, loc: Loc, quote: str, named: str | None,
                problems: list[Problem]) -> Span | None:
        def line() -> int:  # looked up only for a problem: line maps are kept packed
            return line_of(lines, (*loc, "quote"))
        if not self.articles:
            return None  # already reported by the loader
        if named is not None and named not in self.articles:
            guess = difflib.get_close_matches(named, list(self.articles), n=1)
            fix = f"Did you mean '{guess[0]}'?" if guess else "Articles: " + ", ".join(self.articles)
            problems.append(Problem(path, line_of(lines, (*loc, "article")),
                                    f"article '{named}' does not exist", fix))
            return None
        found = {article.slug: place for article in self.candidates(quote)
                 if (place := find(quote, article)) is not None}
        if named is not None:
            if named in found:
                return self._one(path, line, self.articles[named], found[named], problems)
            if found:
                elsewhere = ", ".join(f"'{slug}' ({_where(place)})" for slug, place in found.items())
                problems.append(Problem(
                    path, line(), f"quote not found in article '{named}', but it is in article {elsewhere}",
                    f"Change 'article:' to '{next(iter(found))}', or remove it: the words say which article"))
                return None
            self._not_found(path, line(), quote, [self.articles[named]], problems)
            return None
        if len(found) == 1:
            slug, place = next(iter(found.items()))
            return self._one(path, line, self.articles[slug], place, problems)
        if found:
            where = ", ".join(f"'{slug}' ({_where(place)})" for slug, place in found.items())
            problems.append(Problem(path, line(), f"quote found in {len(found)} articles: {where}",
                                    "Add 'article:' with the one you mean, or quote more words"))
            return None
        self._not_found(path, line(), quote, list(self.articles.values()), problems)
        return None

    @staticmethod
    def _one(path: str, line: Callable[[], int], article: Article, place: Span | Ambiguous,
             problems: list[Problem]) -> Span | None:
        if isinstance(place, Span):
            return place
        where = ", ".join(place.passages)
        problem = (f"quote found more than once in article '{article.slug}' ({where})"
                   if len(place.passages) > 1
                   else f"quote found more than once in passage {where} of article '{article.slug}'")
        problems.append(Problem(path, line(), problem,
                                "Quote more of the surrounding words so that it matches only once",
                                tuple(_passage_excerpt(article, pid) for pid in place.passages)))
        return None

    @staticmethod
    def _not_found(path: str, line: int, quote: str, articles: list[Article],
                   problems: list[Problem]) -> None:
        for article in articles:
            runs = spanned(quote, article)
            if runs:
                problems.append(Problem(path, line, f"quote spans two passages ({runs[0]} and {runs[1]}) of "
                                        f"article '{article.slug}'",
                                        "Quote words from one passage; split the claim in two if needed"))
                return
        best: tuple[float, str, str, Article] | None = None
        for article in articles:
            near = closest(quote, article)
            if near is not None and (best is None or near[0] > best[0]):
                best = (*near, article)
        where = f"article '{articles[0].slug}'" if len(articles) == 1 else "any article"
        details: tuple[str, ...] = ()
        if best is not None:
            passage = best[1] if len(articles) == 1 else f"'{best[3].slug}', {best[1]}"
            details = (f'Closest passage ({passage}): "{best[2]}".',)
        problems.append(Problem(path, line, f"quote not found in {where}", "Copy the article's exact words",
                                details))


def _where(place: Span | Ambiguous) -> str:
    return place.passage if isinstance(place, Span) else ", ".join(place.passages)


def _passage_excerpt(article: Article, passage_id: str) -> str:
    text = article.passage(passage_id).text
    short = text if len(text) <= 90 else text[:87].rsplit(" ", 1)[0] + " ..."
    return f'{passage_id}: "{short}"'
