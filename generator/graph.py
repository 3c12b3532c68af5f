"""The relationship graph: a deterministic layout of sheets and relations, ready to draw as SVG."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

FORCE_LAYOUT_LIMIT = 250
"""Above this many nodes the force layout (quadratic per step) gives way to rings by kind."""


@dataclass(frozen=True)
class GraphNode:
    """A sheet placed on the drawing."""

    slug: str
    name: str
    kind: str
    href: str
    x: float
    y: float
    center: bool = False


@dataclass(frozen=True)
class GraphEdge:
    """A relation drawn from one node to another, its label at the middle."""

    source: str
    target: str
    label: str
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def label_x(self) -> float:
        return (self.x1 + self.x2) / 2

    @property
    def label_y(self) -> float:
        return (self.y1 + self.y2) / 2


@dataclass(frozen=True)
class Graph:
    """Nodes and edges in a ``width`` x ``height`` drawing."""

    width: int
    height: int
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]


@dataclass(frozen=True)
class NodeSpec:
    """What the layout needs of a sheet."""

    slug: str
    name: str
    kind: str
    href: str


def full_graph(nodes: Sequence[NodeSpec], edges: Sequence[tuple[str, str, str]],
               width: int = 1000, height: int = 760) -> Graph:
    """Lay out every node and edge (``(source, target, label)``)."""
    if len(nodes) <= FORCE_LAYOUT_LIMIT:
        positions = _force_layout([n.slug for n in nodes], [(s, t) for s, t, _ in edges])
    else:
        positions = _rings([n.slug for n in nodes])
    return _fit(nodes, edges, positions, width, height, center=None)


def neighbour_graph(center: NodeSpec, neighbours: Sequence[NodeSpec],
                    edges: Sequence[tuple[str, str, str]], width: int = 640,
                    height: int = 360) -> Graph:
    """The center sheet with its direct neighbours on a ring around it."""
    positions = {center.slug: (0.0, 0.0)}
    count = len(neighbours)
    for index, node in enumerate(neighbours):
        angle = 2 * math.pi * index / max(count, 1) - math.pi / 2
        positions[node.slug] = (math.cos(angle), math.sin(angle))
    return _fit([center, *neighbours], edges, positions, width, height, center=center.slug)


def _rings(slugs: list[str]) -> dict[str, tuple[float, float]]:
    count = len(slugs)
    return {slug: (math.cos(2 * math.pi * i / count), math.sin(2 * math.pi * i / count))
            for i, slug in enumerate(slugs)}


def _force_layout(slugs: list[str], edges: list[tuple[str, str]],
                  steps: int = 300) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold from a circle: the same input always gives the same drawing."""
    count = len(slugs)
    if count == 0:
        return {}
    pos = [[math.cos(2 * math.pi * i / count), math.sin(2 * math.pi * i / count)] for i in range(count)]
    index = {slug: i for i, slug in enumerate(slugs)}
    pairs = [(index[s], index[t]) for s, t in edges if s in index and t in index and s != t]
    k = math.sqrt(4.0 / count)
    temperature = 0.2
    for _ in range(steps):
        disp = [[0.0, 0.0] for _ in range(count)]
        for i in range(count):
            xi, yi = pos[i]
            for j in range(i + 1, count):
                dx, dy = xi - pos[j][0], yi - pos[j][1]
                dist = math.hypot(dx, dy) or 1e-6
                force = k * k / dist
                fx, fy = dx / dist * force, dy / dist * force
                disp[i][0] += fx
                disp[i][1] += fy
                disp[j][0] -= fx
                disp[j][1] -= fy
        for i, j in pairs:
            dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
            dist = math.hypot(dx, dy) or 1e-6
            force = dist * dist / k
            fx, fy = dx / dist * force, dy / dist * force
            disp[i][0] -= fx
            disp[i][1] -= fy
            disp[j][0] += fx
            disp[j][1] += fy
        for i in range(count):
            # A weak pull to the middle keeps unconnected sheets from drifting off.
            disp[i][0] -= pos[i][0] * 0.05
            disp[i][1] -= pos[i][1] * 0.05
            length = math.hypot(*disp[i]) or 1e-6
            step = min(length, temperature)
            pos[i][0] += disp[i][0] / length * step
            pos[i][1] += disp[i][1] / length * step
        temperature = max(0.005, temperature * 0.985)
    return {slug: (pos[i][0], pos[i][1]) for slug, i in index.items()}


def _short_of(start: tuple[float, float], end: tuple[float, float],
              gap: float) -> tuple[float, float]:
    """``end`` moved ``gap`` towards ``start``, so an arrowhead stops at the node's edge."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    if length <= gap:
        return end
    return (round(end[0] - dx / length * gap, 1), round(end[1] - dy / length * gap, 1))


def _fit(nodes: Sequence[NodeSpec], edges: Sequence[tuple[str, str, str]],
         positions: dict[str, tuple[float, float]], width: int, height: int,
         center: str | None) -> Graph:
    """Scale positions into the drawing, leaving room for labels; round for stable output."""
    margin_x, margin_y = 90.0, 30.0
    xs = [positions[n.slug][0] for n in nodes] or [0.0]
    ys = [positions[n.slug][1] for n in nodes] or [0.0]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0

    def place(slug: str) -> tuple[float, float]:
        x, y = positions[slug]
        return (round(margin_x + (x - min(xs)) / span_x * (width - 2 * margin_x), 1),
                round(margin_y + (y - min(ys)) / span_y * (height - 2 * margin_y), 1))

    placed = {n.slug: place(n.slug) for n in nodes}
    graph_nodes = tuple(GraphNode(n.slug, n.name, n.kind, n.href, *placed[n.slug], center=n.slug == center)
                        for n in nodes)
    graph_edges = tuple(GraphEdge(s, t, label, *placed[s], *_short_of(placed[s], placed[t], 10.0))
                        for s, t, label in edges if s in placed and t in placed)
    return Graph(width, height, graph_nodes, graph_edges)
