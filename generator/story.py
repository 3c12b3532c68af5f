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


def key_figures(resolved: Resolved, limit: int = 8) -> list[tuple[str, Citation]]:
    """(figure as worded, claim) of the reported figures, one per figure and passage, in sheet order."""
    seen: set[tuple[str, str, str]] = set()
    found = []
    for claim in resolved.claims:
        if claim.attribution is None and claim.source is None:
            continue
        for match in FIGURE.finditer(claim.text):
            if _YEAR.match(match.group()):
                continue
            key = (claim.span.article, claim.span.passage, match.group().lower())
            if key in seen:
                break
            seen.add(key)
            phrase = _phrase(claim.text, match.start())
            found.append((phrase, claim))
            break
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


def latest_events(resolved: Resolved, limit: int = 4) -> list[str]:
    """The events the articles place last: those placed on a time axis, latest first, then those
    the article calls recent (relative to its own date), in sheet order."""
    placed = placements(resolved)
    timed = sorted((slug for slug, p in placed.items() if p.sort_start),
                   key=lambda slug: placed[slug].sort_start or "", reverse=True)
    recent = [slug for slug, p in placed.items() if p.lane == "vague" and not p.gap.startswith(("a month",))
              and "no year" not in p.gap]
    ordered = [*(s for s in timed if placed[s].lane == "anchored"), *recent,
               *(s for s in timed if placed[s].lane == "dated")]
    return list(dict.fromkeys(ordered))[:limit]
