"""The relationship graph: a deterministic layout of sheets and relations, ready to draw as SVG.

The whole graph puts each kind in a column and orders every column by where its
neighbours sit (a few barycentre sweeps): readable, the same on every build,
and linear in the number of sheets and relations per sweep. A sheet's own
graph puts its neighbours on a ring around it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

ROW = 26.0
COLUMN = 215.0
MARGIN = 30.0
LEFT = 80.0  # room for the arcs between sheets of the first column
SWEEPS = 4


@dataclass(frozen=True)
class NodeSpec:
    """What the layout needs of a sheet."""

    slug: str
    name: str
    kind: str
    href: str


@dataclass(frozen=True)
class GraphNode:
    """A sheet placed on the drawing; ``label`` is its name, shortened to fit."""

    slug: str
    name: str
    label: str
    kind: str
    href: str
    x: float
    y: float
    center: bool = False
    anchor: str = "start"

    @property
    def label_x(self) -> float:
        return self.x + 10 if self.anchor == "start" else self.x

    @property
    def label_y(self) -> float:
        return self.y + 4 if self.anchor == "start" else self.y - 14


@dataclass(frozen=True)
class GraphEdge:
    """A relation drawn as an SVG path from one node to another, its label at the middle."""

    source: str
    target: str
    label: str
    path: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Graph:
    """Nodes and edges in a ``width`` x ``height`` drawing."""

    width: int
    height: int
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    columns: tuple[tuple[str, float], ...] = ()


def full_graph(nodes: Sequence[NodeSpec], edges: Sequence[tuple[str, str, str]],
               kinds: Sequence[tuple[str, str]]) -> Graph:
    """Every node in a column per kind (``kinds`` gives their order and titles)."""
    present = [(kind, title) for kind, title in kinds if any(n.kind == kind for n in nodes)]
    column_of = {kind: i for i, (kind, _) in enumerate(present)}
    columns: list[list[NodeSpec]] = [sorted((n for n in nodes if n.kind == kind),
                                            key=lambda n: (n.name.casefold(), n.slug))
                                     for kind, _ in present]
    neighbours: dict[str, list[str]] = defaultdict(list)
    for source, target, _ in edges:
        neighbours[source].append(target)
        neighbours[target].append(source)
    rank = _ranks(columns)
    for _ in range(SWEEPS):
        for column in columns:
            column.sort(key=lambda n: (_barycentre(n.slug, neighbours, rank), n.name.casefold(), n.slug))
            rank.update({n.slug: float(i) for i, n in enumerate(column)})
    placed: dict[str, GraphNode] = {}
    max_chars = int((COLUMN - 30) / 6)
    for index, column in enumerate(columns):
        for row, node in enumerate(column):
            placed[node.slug] = GraphNode(node.slug, node.name, _shorten(node.name, max_chars), node.kind,
                                          node.href, LEFT + index * COLUMN, MARGIN + 30 + row * ROW)
    graph_edges = tuple(_edge(placed[s], placed[t], label, same_column=column_of[placed[s].kind]
                              == column_of[placed[t].kind])
                        for s, t, label in edges if s in placed and t in placed)
    height = int(MARGIN * 2 + 30 + max((len(c) for c in columns), default=1) * ROW)
    width = int(LEFT + len(columns) * COLUMN)
    titles = tuple((title, LEFT + i * COLUMN) for i, (_, title) in enumerate(present))
    return Graph(width, height, tuple(placed[n.slug] for c in columns for n in c), graph_edges, titles)


def neighbour_graph(center: NodeSpec, neighbours: Sequence[NodeSpec],
                    edges: Sequence[tuple[str, str, str]], width: int = 720) -> Graph:
    """The center sheet with its direct neighbours on a ring around it."""
    count = len(neighbours)
    radius_x, radius_y = width / 2 - 130, max(90.0, min(190.0, 24.0 * count))
    height = int(2 * radius_y + 90)
    cx, cy = width / 2, height / 2 + 10
    placed = {center.slug: GraphNode(center.slug, center.name, _shorten(center.name, 40), center.kind,
                                     center.href, cx, cy, center=True, anchor="middle")}
    for index, node in enumerate(neighbours):
        angle = 2 * math.pi * index / max(count, 1) - math.pi / 2
        x, y = round(cx + radius_x * math.cos(angle), 1), round(cy + radius_y * math.sin(angle), 1)
        placed[node.slug] = GraphNode(node.slug, node.name, _shorten(node.name, 28), node.kind, node.href,
                                      x, y, anchor="middle")
    graph_edges = tuple(_edge(placed[s], placed[t], label, same_column=False)
                        for s, t, label in edges if s in placed and t in placed)
    return Graph(width, height, tuple(placed.values()), graph_edges)


def _ranks(columns: list[list[NodeSpec]]) -> dict[str, float]:
    return {n.slug: float(i) for column in columns for i, n in enumerate(column)}


def _barycentre(slug: str, neighbours: dict[str, list[str]], rank: dict[str, float]) -> float:
    linked = [rank[other] for other in neighbours.get(slug, ()) if other in rank]
    return sum(linked) / len(linked) if linked else rank[slug]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _edge(source: GraphNode, target: GraphNode, label: str, *, same_column: bool) -> GraphEdge:
    x1, y1, x2, y2 = source.x, source.y, target.x, target.y
    if same_column:
        # Between two sheets of one kind: an arc bulging to the left of the column.
        bulge = min(70.0, 30 + abs(y2 - y1) * 0.1)
        end_y = y2 - 8 if y2 > y1 else y2 + 8
        path = f"M {x1} {y1} C {x1 - bulge:.1f} {y1} {x2 - bulge:.1f} {y2} {x2} {end_y:.1f}"
        return GraphEdge(source.slug, target.slug, label, path, round(x1 - bulge * 0.75, 1),
                         round((y1 + y2) / 2, 1))
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ex, ey = x2 - (x2 - x1) / length * 9, y2 - (y2 - y1) / length * 9
    path = f"M {x1} {y1} L {ex:.1f} {ey:.1f}"
    return GraphEdge(source.slug, target.slug, label, path, round((x1 + x2) / 2, 1), round((y1 + y2) / 2, 1))
