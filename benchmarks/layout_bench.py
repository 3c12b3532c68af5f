"""What laying the relationship graphs out with Graphviz costs, per graph, at the scale of a large site.

    .venv/bin/python benchmarks/layout_bench.py [--sheets 3000] [--sample 100]

Builds the neighbour graph of every sheet of a synthetic site (``--sheets`` sheets of
the five kinds, each with two relations to random others, as ``benchmarks/scale.py``
makes them; a seeded generator, so every run lays out the same graphs) and times:

- ``cold, one dot per graph``: one ``dot`` process per graph (on ``--sample`` graphs);
- ``batched, 1 process``: every graph in one ``dot`` process;
- ``batched, 2 processes``: two ``dot`` processes in parallel, half the graphs each;
- ``cached, memory``: the same graphs again from a :class:`LayoutCache` (hashing the
  ``dot`` input and reading the stored output: what every unchanged graph costs);
- ``cached, disk``: a new cache over the same folder (a rebuild in a new process);
- ``overview``: one graph of the 80 most connected sheets and up to 150 relations among them.

Prints one line per figure and a summary line::

    layout: cold_ms=<x> batched_ms=<x> parallel_ms=<x> memory_ms=<x> disk_ms=<x> overview_ms=<x>
"""

from __future__ import annotations

import argparse
import math
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.layout import (
    Edge,
    GraphSpec,
    LayoutCache,
    Node,
    graph_spec,
    layout,
    layout_many,
)

KINDS = ("actors", "equipment", "agreements", "places", "events")
TYPES = ("backs", "opposes", "supplies", "located-in", "took-part-in", "attacked", "reported", "signed")
WORDS = ("Libyan", "National", "Army", "Government", "of", "Accord", "Turkish", "air", "defence", "systems",
         "forces", "near", "Tripoli", "Russian", "fighters", "withdrawal", "from", "the", "front", "lines",
         "Wagner", "Group", "memorandum", "maritime", "deal", "Jufra", "airbase", "drone", "strikes")


def synthetic_site(sheets: int, seed: int = 1) -> tuple[dict[str, Node], list[Edge]]:
    """``sheets`` nodes with names of 1 to 9 words and two relations each to random others."""
    rng = random.Random(seed)
    nodes = {}
    for i in range(sheets):
        name = " ".join(rng.choice(WORDS) for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 5, 7, 9))))
        nodes[f"s{i}"] = Node(f"s{i}", f"{name.capitalize()} {i}", KINDS[i % len(KINDS)])
    edges = []
    for i in range(sheets):
        for target in rng.sample(range(sheets), 3)[:2]:
            if target != i:
                edges.append(Edge(f"s{i}", f"s{target}", (t := rng.choice(TYPES)).replace("-", " "), t))
    return nodes, edges


def graphviz_version() -> str:
    """What ``dot -V`` says."""
    done = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
    return done.stderr.strip() or done.stdout.strip()


def neighbour_specs(nodes: dict[str, Node], edges: list[Edge]) -> list[GraphSpec]:
    """The graph of every sheet with relations: the sheet, its neighbours, its relations."""
    touching: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        touching[edge.source].append(edge)
        if edge.target != edge.source:
            touching[edge.target].append(edge)
    specs = []
    for slug, own in sorted(touching.items()):
        ids = {slug} | {e.source for e in own} | {e.target for e in own}
        specs.append(graph_spec([nodes[i] for i in ids], own, center=slug))
    return specs


def overview_spec(nodes: dict[str, Node], count: int = 80, relations: int = 150, seed: int = 2) -> GraphSpec:
    """``count`` sheets and ``relations`` random relations among them, as the largest graph the site shows."""
    rng = random.Random(seed)
    chosen = sorted(nodes)[:count]
    edges = set()
    while len(edges) < relations:
        source, target = rng.sample(chosen, 2)
        kind = rng.choice(TYPES)
        edges.add(Edge(source, target, kind.replace("-", " "), kind))
    return graph_spec([nodes[s] for s in chosen], edges)


def cpu_seconds() -> float:
    """CPU time of this process and of the ``dot`` processes it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, count: int, action: Callable[[], object], repeat: int = 3) -> float:
    """Run ``action()`` ``repeat`` times; print the best wall-clock and CPU ms per graph, return the wall.

    CPU time (ours and dot's) hardly depends on what else the machine runs; wall-clock time
    does, on a shared machine, and is what a build waits for.
    """
    best, best_cpu = math.inf, math.inf
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        action()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, cpu_seconds() - start_cpu)
    per_graph = best * 1000 / count
    print(f"{label:<36} {per_graph:8.3f} ms a graph, CPU {best_cpu * 1000 / count:8.3f} ms  "
          f"({count} graphs, best of {repeat})")
    return per_graph


def main(argv: list[str] | None = None) -> int:
    """Print the figures and the summary line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=3000)
    parser.add_argument("--sample", type=int, default=100, help="graphs laid out one process each")
    args = parser.parse_args(argv)
    nodes, edges = synthetic_site(args.sheets)
    specs = neighbour_specs(nodes, edges)
    sizes = [len(s.nodes) for s in specs]
    print(f"{len(specs)} neighbour graphs of {min(sizes)} to {max(sizes)} nodes "
          f"(mean {sum(sizes) / len(sizes):.1f}); Graphviz: {graphviz_version()}")
    # Fresh specs for each run: a build makes them anew (and each caches its own dot source).
    timed("specs: build, dot source, hash", len(specs),
          lambda: [s.key() for s in neighbour_specs(nodes, edges)])
    sample = specs[: args.sample]
    cold = timed("cold, one dot per graph", len(sample),
                 lambda: [layout(s) for s in neighbour_specs(nodes, edges)[: args.sample]], repeat=1)
    batched = timed("batched, 1 process", len(specs),
                    lambda: layout_many(neighbour_specs(nodes, edges), processes=1))
    parallel = timed("batched, 2 processes", len(specs),
                     lambda: layout_many(neighbour_specs(nodes, edges), processes=2))
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "graph-layouts.json"
        cache = LayoutCache(store, processes=2)

        def lay_out_and_save() -> None:
            cache.layout_many(specs)
            cache.save()

        timed("misses (2 processes, then saved)", len(specs), lay_out_and_save, repeat=1)
        memory = timed("cached, memory", len(specs), lambda: cache.layout_many(neighbour_specs(nodes, edges)))
        disk = timed("cached, file (a new process)", len(specs),
                     lambda: LayoutCache(store).layout_many(neighbour_specs(nodes, edges)))
        print(f"cache file: {store.stat().st_size / 1e6:.1f} MB")
    overview = overview_spec(nodes)
    whole = timed(f"overview ({len(overview.nodes)} nodes, {len(overview.edges)} edges)", 1,
                  lambda: layout(overview))
    print(f"layout: cold_ms={cold:.2f} batched_ms={batched:.2f} parallel_ms={parallel:.2f} "
          f"memory_ms={memory:.3f} disk_ms={disk:.3f} overview_ms={whole:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
