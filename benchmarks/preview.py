"""Live preview latency: from saving a sheet to `mkdocs serve` answering with the rebuilt page.

Usage: .venv/bin/python benchmarks/preview.py [--runs 7]
Serves a copy of the repository's own content (the seed article and its sheets) with the real
`mkdocs serve`, edits one sheet's summary, and polls the page until the edit shows.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from mkdocs_serve import MkDocsServe  # noqa: E402

SHEET = "content/actors/wagner-group.yml"
PAGE = "actors/wagner-group/"


def copy_project(target: Path) -> None:
    """The parts of the repository a build reads."""
    for folder in ("content", "templates", "docs", "overrides"):
        shutil.copytree(REPO / folder, target / folder)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")


def measure(runs: int) -> list[float]:
    """Seconds from each save to the first response that shows it."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        copy_project(root)
        sheet = root / SHEET
        original = sheet.read_text(encoding="utf-8")
        timings = []
        with MkDocsServe(root) as server:
            server.wait_for(lambda: server.get(PAGE)[0] == 200, timeout=120)
            for run in range(runs):
                marker = f"Edit-{run}-{time.monotonic_ns()}"
                edited = original.replace("summary: >-\n", f"summary: >-\n  {marker}\n", 1)
                assert edited != original, f"{SHEET} has no 'summary: >-' block to edit"
                start = time.monotonic()
                sheet.write_text(edited, encoding="utf-8")
                server.wait_for(lambda m=marker: m in server.get(PAGE)[1], timeout=120)
                timings.append(time.monotonic() - start)
                time.sleep(0.5)  # let the watcher settle before the next save
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    timings = measure(parser.parse_args().runs)
    print("save-to-page seconds:", " ".join(f"{t:.2f}" for t in timings))
    print(f"preview: median_s={statistics.median(timings):.2f} min_s={min(timings):.2f} "
          f"max_s={max(timings):.2f} runs={len(timings)}")


if __name__ == "__main__":
    main()
