"""Which graphs the site draws, and what each shows: pure choices, laid out by :mod:`generator.layout`.

A sheet's own graph is the sheet and its direct neighbours. The whole graph of a running story
cannot be read at once (3,000 sheets), so the site draws views a reader can take in: the most
connected sheets, and each kind's most connected sheets with their neighbours. A node links to
its sheet, whose own graph expands the view from there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from generator.layout import Edge, GraphSpec, Node, graph_spec
from generator.model import KIND_TABLE, RELATION_TYPES
from generator.resolve import Link, Resolved

OVERVIEW_SIZE = 36
"""Most sheets a view draws: about what a 1280 px screen shows readably."""


@dataclass(frozen=True)
class View:
    """A graph page: its slug (``""`` for the overview), title, the sheets drawn and their links."""

    slug: str
    title: str
    intro: str
    sheets: tuple[str, ...]
    links: tuple[Link, ...]


def degrees(resolved: Resolved) -> Counter[str]:
    """How many relations each sheet takes part in."""
    counted: Counter[str] = Counter()
    for link in resolved.links:
        counted[link.source] += 1
        counted[link.target] += 1
    return counted


def views(resolved: Resolved, size: int = OVERVIEW_SIZE) -> list[View]:
    """The overview of the most connected sheets, then one view per kind that has relations."""
    # One pass over the relations: each sheet's, by position. Every view then looks only at
    # its own sheets' relations (at 30,000 sheets, eleven passes over all 60,000 were 0.4 s
    # of every save).
    touching: dict[str, list[int]] = {}
    for position, link in enumerate(resolved.links):
        touching.setdefault(link.source, []).append(position)
        if link.target != link.source:
            touching.setdefault(link.target, []).append(position)
    degree = degrees(resolved)
    rank = {slug: n for n, slug in enumerate(resolved.sheets)}

    def by_degree(slugs: Iterable[str]) -> list[str]:
        return sorted(slugs, key=lambda s: (-degree[s], rank[s]))

    def between(sheets: list[str]) -> tuple[Link, ...]:
        chosen = set(sheets)
        positions = {p for s in sheets for p in touching.get(s, ())
                     if resolved.links[p].source in chosen and resolved.links[p].target in chosen}
        return tuple(resolved.links[p] for p in sorted(positions))

    found = []
    connected = by_degree(touching)
    top = by_degree(_closely_related(resolved, connected, size))
    total = len(resolved.sheets)
    intro = (f"{len(top)} of the {total} sheets: the most connected and those they relate to most, "
             "with the relations between them." if len(top) < total
             else "Every sheet and every relation between them.")
    found.append(View("", "Relationship graph", intro, tuple(top), between(top)))
    of_kind: dict[str, list[str]] = {}
    for slug in connected:
        of_kind.setdefault(resolved.sheets[slug].kind, []).append(slug)
    for kind in KIND_TABLE:
        own = of_kind.get(kind.folder, [])
        if not own:
            continue
        seeds = own[: max(1, size // 2)]
        seeded = set(seeds)
        ends = {end for s in seeds for p in touching[s]
                for end in (resolved.links[p].source, resolved.links[p].target)}
        neighbours = by_degree(ends - seeded)
        chosen = [*seeds, *neighbours][:size]
        shown = len(seeds)
        intro = (f"The {shown} most connected {kind.title.lower()} of {len(own)} with relations, and the "
                 "sheets they relate to." if shown < len(own)
                 else f"Every one of the {kind.title.lower()} with relations, and the sheets they relate to.")
        found.append(View(kind.folder, f"Relationship graph: {kind.title}", intro, tuple(chosen),
                          between(chosen)))
    return found


def _closely_related(resolved: Resolved, ranked: list[str], size: int) -> list[str]:
    """Up to ``size`` sheets, grown from the most connected one by always adding the sheet with
    the most relations to those chosen (``ranked`` breaks ties and starts each new group).

    The ``size`` most connected sheets of a large story may share no relation at all: a view
    of them would draw no line. Growing along relations keeps the overview a graph.
    """
    if len(ranked) <= size:
        return ranked
    position = {slug: n for n, slug in enumerate(ranked)}
    neighbours: dict[str, set[str]] = {}
    for link in resolved.links:
        neighbours.setdefault(link.source, set()).add(link.target)
        neighbours.setdefault(link.target, set()).add(link.source)
    chosen: list[str] = []
    ties: Counter[str] = Counter()  # relations from each unchosen sheet to the chosen ones
    starts = iter(ranked)
    while len(chosen) < size:
        if ties:
            pick = min(ties, key=lambda s: (-ties[s], position[s]))
        elif (pick := next((s for s in starts if s not in chosen), "")) == "":
            break
        chosen.append(pick)
        ties.pop(pick, None)
        for other in neighbours.get(pick, ()):
            if other not in chosen:
                ties[other] += 1
    return chosen


def view_spec(resolved: Resolved, view: View) -> GraphSpec:
    """The graph of a view, to lay out."""
    nodes = [Node(slug, resolved.sheets[slug].sheet.name, resolved.sheets[slug].kind) for slug in view.sheets]
    edges = [Edge(lk.source, lk.target, RELATION_TYPES[lk.type].forward, lk.type) for lk in view.links]
    return graph_spec(nodes, edges)


def neighbour_spec(resolved: Resolved, slug: str, links: list[Link]) -> GraphSpec | None:
    """A sheet's own graph: the sheet, its neighbours, and its relations read from its side."""
    if not links:
        return None
    ends = {slug} | {lk.source for lk in links} | {lk.target for lk in links}
    nodes = [Node(s, resolved.sheets[s].sheet.name, resolved.sheets[s].kind) for s in ends]
    edges = [Edge(lk.source, lk.target,
                  RELATION_TYPES[lk.type].backward if lk.target == slug else RELATION_TYPES[lk.type].forward,
                  lk.type) for lk in links]
    return graph_spec(nodes, edges, center=slug)
