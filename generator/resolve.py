"""Resolve every quote to its passage and every relation to its target sheet."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from generator.errors import Problem
from generator.load import Content
from generator.model import KINDS, Article, LoadedSheet
from generator.quotes import Ambiguous, Span, find_all, forget_passages, normalise_text, resolve

CitationKind = Literal["claim", "relation", "date"]
CITATION_KINDS: tuple[CitationKind, ...] = ("claim", "relation", "date")
"""The parts of a sheet that quote an article, in the order a sheet lists them."""


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Link:
    """A resolved relation between two sheets."""

    source: str
    type: str
    target: str
    citation: Citation


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

    @property
    def claims(self) -> tuple[Citation, ...]:
        """The citations that are claims."""
        return tuple(c for c in self.citations if c.kind == "claim")


def resolve_content(content: Content) -> tuple[Resolved, list[Problem]]:
    """Resolve quotes and references; return the result and every problem found."""
    problems = list(content.problems)
    articles = dict(sorted(content.articles.items()))
    sheets = dict(sorted(
        content.sheets.items(),
        key=lambda item: (KINDS.index(item[1].kind), item[1].sheet.name.casefold(), item[0]),
    ))
    citations: list[Citation] = []
    links: list[Link] = []
    problems.extend(_duplicate_names(sheets))
    for slug, loaded in sheets.items():
        sheet = loaded.sheet
        loc: tuple[str | int, ...]
        for index, claim in enumerate(sheet.claims):
            loc = ("claims", index)
            span = _resolve_quote(loaded, loc, claim.quote, claim.article, articles, problems)
            if span is not None:
                citations.append(Citation("claim", slug, index + 1, claim.text, claim.attribution, span))
        for index, relation in enumerate(sheet.relations):
            loc = ("relations", index)
            span = _resolve_quote(loaded, loc, relation.quote, relation.article, articles, problems)
            target_ok = _check_target(loaded, loc, relation.target, sheets, problems)
            if span is not None and target_ok:
                citation = Citation("relation", slug, index + 1, relation.type, relation.attribution, span)
                citations.append(citation)
                links.append(Link(slug, relation.type, relation.target, citation))
        date = getattr(sheet, "date", None)
        if date is not None and date.quote is not None and date.as_written is not None:
            loc = ("date",)
            span = _resolve_quote(loaded, loc, date.quote, date.article, articles, problems)
            if not find_all(date.as_written, date.quote):
                problems.append(Problem(
                    loaded.path, loaded.line("date", "as_written"),
                    f"date '{date.as_written}' is not in the date's quote",
                    "Write the time exactly as the quoted words give it"))
            elif span is not None:
                citations.append(Citation("date", slug, 0, date.as_written, None, span))
    forget_passages()
    resolved = Resolved(articles, sheets, tuple(citations), tuple(links))
    return resolved, problems


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


def _check_target(loaded: LoadedSheet, loc: tuple[str | int, ...], target: str,
                  sheets: dict[str, LoadedSheet], problems: list[Problem]) -> bool:
    line = loaded.line(*loc, "target")
    if target == loaded.slug:
        problems.append(Problem(loaded.path, line, "the relation points at its own sheet",
                                "Point 'target' at another sheet"))
        return False
    if target not in sheets:
        guess = difflib.get_close_matches(target, list(sheets), n=1)
        fix = (f"Did you mean '{guess[0]}'?" if guess
               else "Create that sheet, or use the file name of an existing one")
        problems.append(Problem(loaded.path, line,
                                f"relation target '{target}' does not exist", fix))
        return False
    return True


def _resolve_quote(loaded: LoadedSheet, loc: tuple[str | int, ...], quote: str,
                   article_slug: str | None, articles: dict[str, Article],
                   problems: list[Problem]) -> Span | None:
    article = _pick_article(loaded, loc, article_slug, articles, problems)
    if article is None:
        return None
    line = loaded.line(*loc, "quote")
    found = resolve(quote, article)
    if isinstance(found, Span):
        return found
    if isinstance(found, Ambiguous):
        where = ", ".join(found.passages)
        problem = (f"quote found more than once in article '{article.slug}' ({where})"
                   if len(found.passages) > 1
                   else f"quote found more than once in passage {where} of article '{article.slug}'")
        problems.append(Problem(loaded.path, line, problem,
                                "Quote more of the surrounding words so that it matches only once",
                                tuple(_passage_excerpt(article, pid) for pid in found.passages)))
        return None
    if found.spans_passages:
        first, second = found.spans_passages
        problems.append(Problem(loaded.path, line,
                                f"quote spans two passages ({first} and {second}) of article "
                                f"'{article.slug}'",
                                "Quote words from one passage; split the claim in two if needed"))
        return None
    details: tuple[str, ...] = ()
    if found.closest is not None:
        details = (f'Closest passage ({found.closest[0]}): "{found.closest[1]}".',)
    problems.append(Problem(loaded.path, line, f"quote not found in article '{article.slug}'",
                            "Copy the article's exact words", details))
    return None


def _passage_excerpt(article: Article, passage_id: str) -> str:
    text = article.passage(passage_id).text
    short = text if len(text) <= 90 else text[:87].rsplit(" ", 1)[0] + " ..."
    return f'{passage_id}: "{short}"'


def _pick_article(loaded: LoadedSheet, loc: tuple[str | int, ...], slug: str | None,
                  articles: dict[str, Article], problems: list[Problem]) -> Article | None:
    if slug is None:
        if len(articles) == 1:
            return next(iter(articles.values()))
        if not articles:
            return None  # already reported by the loader
        problems.append(Problem(
            loaded.path, loaded.line(*loc),
            f"this does not name its article, and there are {len(articles)}",
            "Add 'article:' with one of: " + ", ".join(articles)))
        return None
    if slug not in articles:
        guess = difflib.get_close_matches(slug, list(articles), n=1)
        fix = f"Did you mean '{guess[0]}'?" if guess else "Articles: " + ", ".join(articles)
        problems.append(Problem(loaded.path, loaded.line(*loc, "article"),
                                f"article '{slug}' does not exist", fix))
        return None
    return articles[slug]
