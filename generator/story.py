"""What the home page tells before any list: the sides, the key figures, the latest events.

Pure functions over resolved content. The sides come from the relations: actors joined by a
relation of the support side (backs, supplies, fights for) are on one side; the two groups
with the most relations of the opposition side between them are the story's two sides.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from generator.dates import Placement, place
from generator.model import RELATION_TYPES, EventSheet
from generator.resolve import Citation, Link, Resolved
from generator.rules import FIGURE

SIDE_KIND = "actors"
"""Sides are drawn between actors."""


@dataclass(frozen=True)
class Sides:
    """Two groups of actors opposed in the story, and the support ties within each."""

    members: tuple[tuple[str, ...], tuple[str, ...]]
    ties: tuple[tuple[Link, ...], tuple[Link, ...]]
    opposition: tuple[Link, ...]


def sides(resolved: Resolved) -> Sides | None:
    """The story's two opposed sides, or None when the relations draw none."""
    actors = {slug for slug, s in resolved.sheets.items() if s.kind == SIDE_KIND}
    between = [lk for lk in resolved.links if lk.source in actors and lk.target in actors]
    parent = {slug: slug for slug in actors}

    def root(slug: str) -> str:
        while parent[slug] != slug:
            parent[slug] = parent[parent[slug]]
            slug = parent[slug]
        return slug

    for link in between:
        if RELATION_TYPES[link.type].side == "support":
            parent[root(link.source)] = root(link.target)
    against = Counter(frozenset((root(lk.source), root(lk.target))) for lk in between
                      if RELATION_TYPES[lk.type].side == "opposition" and root(lk.source) != root(lk.target))
    if not against:
        return None
    rank = {slug: n for n, slug in enumerate(resolved.sheets)}
    pair = min(against, key=lambda p: (-against[p], sorted(rank[s] for s in p)))
    first, second = sorted(pair, key=lambda r: min(rank[s] for s in actors if root(s) == r))
    groups = tuple(tuple(sorted((s for s in actors if root(s) == r), key=rank.__getitem__))
                   for r in (first, second))
    ties = tuple(tuple(lk for lk in between if RELATION_TYPES[lk.type].side == "support"
                       and lk.source in group and lk.target in group) for group in groups)
    opposition = tuple(lk for lk in between if RELATION_TYPES[lk.type].side == "opposition"
                       and {root(lk.source), root(lk.target)} == set(pair))
    return Sides((groups[0], groups[1]), (ties[0], ties[1]), opposition)


_YEAR = re.compile(r"^(1[89]|20)\d\d$")


FigureMemo = dict[str, tuple[int, str] | None]
"""A claim's text -> where its first figure (not a year) starts, and the figure; None if none."""


def key_figures(resolved: Resolved, limit: int = 8,
                memo: FigureMemo | None = None) -> list[tuple[str, Citation]]:
    """(figure as worded, claim) of the reported figures, one per figure and passage, in sheet order.

    ``memo``, kept from an earlier build, holds each claim text's first figure: with few
    figures, every claim is searched, and at 30,000 sheets that was half a second of each save.
    The memo is left holding the texts this build looked at.
    """
    seen: set[tuple[str, str, str]] = set()
    found = []
    known = dict(memo) if memo is not None else {}
    if memo is not None:
        memo.clear()
    for claim in resolved.claims:
        if claim.attribution is None and claim.source is None:
            continue
        text = claim.text
        if text in known:
            first = known[text]
        else:
            first = next(((m.start(), m.group()) for m in FIGURE.finditer(text)
                          if not _YEAR.match(m.group())), None)
        if memo is not None:
            memo[text] = first
        if first is None:
            continue
        key = (claim.span.article, claim.span.passage, first[1].lower())
        if key in seen:
            continue
        seen.add(key)
        found.append((_phrase(text, first[0]), claim))
        if len(found) >= limit:
            break
    return found


def _phrase(text: str, start: int) -> str:
    """The figure with its qualifier and up to four words after it ("some 1,500 Russian and Syrian")."""
    before = text[:start]
    qualifier = re.search(r"(?:some|about|around|nearly|almost|more than|at least|up to|over)\s+$", before,
                          re.IGNORECASE)
    begin = qualifier.start() if qualifier else start
    words = re.match(r"(?:\d+(?:[.,]\d+)*|[^\s,.;:]+)(?:\s+[^\s,.;:]+){0,4}", text[start:])
    return text[begin:start] + (words.group() if words else "")


def placements(resolved: Resolved) -> dict[str, Placement]:
    """Every event sheet's time, placed with the date of the article its date quotes."""
    out = {}
    dates = {c.sheet: c for c in resolved.citations if c.kind == "date"}
    for slug, loaded in resolved.sheets.items():
        if isinstance(loaded.sheet, EventSheet):
            cited = dates.get(slug)
            published = resolved.articles[cited.span.article].published if cited else None
            out[slug] = place(loaded.sheet.date, published)
    return out


def latest_events(placed: dict[str, Placement], limit: int = 4) -> list[str]:
    """The events the articles place last (``placed``: :func:`placements`): those placed on a
    time axis, latest first, then those the article calls recent (relative to its own date),
    in sheet order."""
    timed = sorted((slug for slug, p in placed.items() if p.sort_start),
                   key=lambda slug: placed[slug].sort_start or "", reverse=True)
    recent = [slug for slug, p in placed.items() if p.lane == "vague" and not p.gap.startswith(("a month",))
              and "no year" not in p.gap]
    ordered = [*(s for s in timed if placed[s].lane == "anchored"), *recent,
               *(s for s in timed if placed[s].lane == "dated")]
    return list(dict.fromkeys(ordered))[:limit]
