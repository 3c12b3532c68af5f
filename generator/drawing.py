"""A relationship graph's SVG drawing, written in Python rather than in a template.

Every sheet page draws its neighbourhood, so the drawing is the largest part of most pages; written
by the template, escaping its thousands of small values was a fifth of the generator's rendering.
Here each value is escaped as Jinja's autoescape does (``markupsafe``), and the output is the same,
byte for byte, as the template that drew it before (``templates/_graph.j2`` has the rest of the
figure: the frame, the cue and the legend).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from generator.layout import LaidEdge, LaidNode
from generator.views import GraphView, text


def svg(graph: GraphView) -> Markup:
    """The ``<svg>`` element of ``graph``: edges, then their labels, then the nodes as links."""
    layout = graph.layout
    side_of = graph.legend.side_of
    name = text(graph.label)
    out = [f'<svg viewBox="0 0 {layout.width} {layout.height}" width="{layout.width}" '
           f'height="{layout.height}" class="relgraph-svg" role="group" aria-label="{name}">\n'
           '<g class="relgraph-edges" aria-hidden="true">\n']
    ends = [_ends(edge, side_of[edge.type]) for edge in layout.edges]
    for edge, (classes, data) in zip(layout.edges, ends, strict=True):
        out.append(f'<g class="relgraph-edge {classes}" {data}><path class="relgraph-line" '
                   f'd="{escape(edge.path)}"/><path class="relgraph-arrow" d="{escape(edge.arrow)}"/></g>\n')
    out.append('</g>\n<g class="relgraph-labels" aria-hidden="true">\n')
    for edge, (classes, data) in zip(layout.edges, ends, strict=True):
        out.append(f'<g class="relgraph-label {classes}" {data}><rect x="{edge.label_left}" '
                   f'y="{edge.label_top}" width="{edge.label_width}" height="{edge.label_height}" rx="3"/>'
                   f'{_text(edge.label_x, edge.baselines, edge.font_size)}</g>\n')
    out.append('</g>\n<g class="relgraph-nodes">\n')
    for node in layout.nodes:
        out.append(_node(node, graph.hrefs[node.id]))
    out.append("</g>\n</svg>")
    return Markup("".join(out))


def _ends(edge: LaidEdge, side: str) -> tuple[str, str]:
    """An edge's classes (its side and type) and its data attributes (its two nodes)."""
    return (f"side-{escape(side)} rel-{escape(edge.type)}",
            f'data-source="{escape(edge.source)}" data-target="{escape(edge.target)}"')


def _node(node: LaidNode, href: str) -> str:
    center = ' is-center' if node.center else ""
    current = ' aria-current="page"' if node.center else ""
    name = text(node.label)
    return (f'<a href="{escape(href)}" class="relgraph-node kind-{escape(node.kind)}{center}" '
            f'data-slug="{escape(node.id)}" aria-label="{name}"{current}><rect x="{node.left}" '
            f'y="{node.top}" width="{node.width}" height="{node.height}" rx="6"/>'
            f'{_text(node.x, node.baselines, node.font_size)}</a>\n')


def _text(x: float, baselines: tuple[tuple[float, str], ...], font_size: float) -> str:
    """A label's ``<text>``: one ``<tspan>`` a line, at ``x`` and each line's baseline."""
    lines = "".join(f'<tspan x="{x}" y="{y}">{escape(line)}</tspan>' for y, line in baselines)
    return f'<text font-size="{font_size}">{lines}</text>'
