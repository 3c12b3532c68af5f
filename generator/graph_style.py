"""How a laid-out graph is drawn: the side of the story each edge is on, and the legend.

Edges are styled by the side of their relation type (the model's table says which),
so every edge of one type is drawn alike and the two sides of the conflict stand
apart at a glance; the label on each edge names the type itself. The template
(``templates/_graph_svg.j2``) reads a :class:`Legend`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.layout import Layout
from generator.model import RELATION_TYPES, Side

SIDES: tuple[tuple[Side, str], ...] = (
    ("support", "Support"),
    ("opposition", "Opposition"),
    ("other", "Other relations"),
)
"""Each side with its title in the legend, in the legend's order."""


def side_of(relation_type: str) -> Side:
    """Return the side ``relation_type`` is drawn as (from :data:`generator.model.RELATION_TYPES`)."""
    known = RELATION_TYPES.get(relation_type)
    return known.side if known is not None else "other"


@dataclass(frozen=True)
class LegendSide:
    """One line of the legend: a side, its title and the labels of its relation types in the graph."""

    side: Side
    title: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Legend:
    """What a graph's legend shows, and the side of each relation type for the edges' classes.

    ``kinds`` are (kind, title) of the kinds of the graph's nodes, in the site's order;
    ``sides`` only the sides that some edge of the graph is on.
    """

    kinds: tuple[tuple[str, str], ...]
    sides: tuple[LegendSide, ...]
    side_of: Mapping[str, Side]


def legend(layout: Layout, kinds: Iterable[tuple[str, str]],
           type_labels: Mapping[str, str] | None = None) -> Legend:
    """Return the legend of ``layout``: its kinds, in the order of ``kinds``, and its sides.

    Each side lists the labels its edges carry in the drawing (``backs`` and ``backed by``
    alike), or, with ``type_labels``, one name per relation type.
    """
    present_kinds = {node.kind for node in layout.nodes}
    by_side: dict[Side, set[str]] = {}
    for edge in layout.edges:
        name = type_labels.get(edge.type, edge.label) if type_labels is not None else edge.label
        by_side.setdefault(side_of(edge.type), set()).add(name)
    return Legend(tuple((k, title) for k, title in kinds if k in present_kinds),
                  tuple(LegendSide(side, title, tuple(sorted(by_side[side])))
                        for side, title in SIDES if side in by_side),
                  {edge.type: side_of(edge.type) for edge in layout.edges})
