"""How many W3C annotations anchor with Apache Annotator in Chromium, in the text and on the page.

Usage: .venv/bin/python benchmarks/anchor_report.py [--site DIR] [--what-if] [--verbose]

Without ``--site``, builds the repository's site into a temporary folder first. For every article it
anchors the selectors of ``data/annotations/<slug>.jsonld`` with Apache Annotator (tests/js, built on
demand) in Debian's Chromium, and counts those that match exactly once, on their ``exact`` words:

- in ``data/articles/<slug>.txt`` served as ``text/plain`` without a charset, and with ``charset=utf-8``
  (TextQuoteSelector and TextPositionSelector);
- on the article page, within ``div.explainer.article`` (TextQuoteSelector).

``--what-if`` also counts candidate fixes, derived from today's selectors (passages are joined by one
blank line in the text): the text file with a UTF-8 byte order mark; prefix and suffix clipped to the
quote's passage; and, on the page, a ``CssSelector`` for the passage refined by the clipped quote or by
a position relative to the passage.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from annotator import Selector, anchor, ensure_bundle, failures  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402
from static_server import StaticServer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ARTICLE_ROOT = "div.explainer.article"
TEXT_ROOT = "body > pre"
NO_CHARSET = {".txt": "text/plain"}
UTF8 = {".txt": "text/plain; charset=utf-8"}


@dataclass(frozen=True)
class Target:
    """One annotation's selectors and what they should match."""

    quote: Selector
    position: Selector
    passage: str
    """The passage id, from the target's scope (``.../#p3``)."""
    passage_start: int
    """Where that passage starts in the plain text."""
    passage_end: int


@dataclass
class Row:
    """One line of the report: a representation, a selector shape, and the counts."""

    label: str
    total: int = 0
    failed: int = 0
    examples: list[str] | None = None

    def add(self, selectors: list[Selector], matches: list[list[str]], expected: list[str]) -> None:
        """Count one article's results."""
        bad = [(text, found) for text, found in zip(expected, matches, strict=True) if found != [text]]
        assert len(bad) == len(failures(selectors, matches, expected))
        self.total += len(selectors)
        self.failed += len(bad)
        self.examples = (self.examples or []) + [
            f"{text!r:.60} matched {len(found)}x: {[f[:30] for f in found[:2]]}" for text, found in bad[:3]]


def build(destination: Path) -> None:
    """``mkdocs build --strict`` of the repository into ``destination``."""
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(destination)],
                   cwd=REPO, check=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))


def targets(site: Path, slug: str) -> list[Target]:
    """The annotations of article ``slug``, with each quote's passage bounds in the plain text."""
    collection = json.loads((site / "data" / "annotations" / f"{slug}.jsonld").read_text(encoding="utf-8"))
    text = (site / "data" / "articles" / f"{slug}.txt").read_text(encoding="utf-8-sig")
    found = []
    for item in collection["first"]["items"]:
        selectors = {s["type"]: s for s in item["target"]["selector"]}
        position = selectors["TextPositionSelector"]
        start = text.rfind("\n\n", 0, position["start"])
        end = text.find("\n\n", position["end"])
        passage = item["target"]["scope"].rsplit("#", 1)[1]
        found.append(Target(selectors["TextQuoteSelector"], position, passage,
                            0 if start < 0 else start + 2, len(text) if end < 0 else end))
    return found


def clipped(target: Target, text: str) -> Selector:
    """The target's TextQuoteSelector with prefix and suffix cut at its passage's bounds."""
    start, end = target.position["start"], target.position["end"]
    quote = target.quote
    return {"type": "TextQuoteSelector", "exact": quote["exact"],
            "prefix": text[max(target.passage_start, start - len(quote.get("prefix", ""))):start],
            "suffix": text[end:min(target.passage_end, end + len(quote.get("suffix", "")))]}


def in_passage(target: Target, refined: Selector) -> Selector:
    """A CssSelector for the target's passage text on the article page, refined by ``refined``."""
    return {"type": "CssSelector", "value": f"#{target.passage} .passage-text", "refinedBy": refined}


def passage_position(target: Target) -> Selector:
    """The target's TextPositionSelector, counted from the start of its passage."""
    return {"type": "TextPositionSelector", "start": target.position["start"] - target.passage_start,
            "end": target.position["end"] - target.passage_start}


@contextmanager
def bom_copy(site: Path, slugs: list[str]) -> Iterator[Path]:
    """A folder holding only the articles' plain texts, each with a UTF-8 byte order mark."""
    with tempfile.TemporaryDirectory() as tmp:
        for slug in slugs:
            path = Path(tmp) / "data" / "articles" / f"{slug}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            raw = (site / "data" / "articles" / f"{slug}.txt").read_bytes()
            path.write_bytes(raw if raw.startswith(b"\xef\xbb\xbf") else b"\xef\xbb\xbf" + raw)
        yield Path(tmp)


def measure(browser: Browser, site: Path, what_if: bool) -> list[Row]:
    """Anchor every article's selectors in each representation and count the results."""
    slugs = sorted(p.stem for p in (site / "data" / "annotations").glob("*.jsonld"))
    by_slug = {slug: targets(site, slug) for slug in slugs}
    texts = {slug: (site / "data" / "articles" / f"{slug}.txt").read_text(encoding="utf-8-sig")
             for slug in slugs}
    rows: list[Row] = []

    def run(label: str, root: Path, types: dict[str, str], path: Callable[[str], str], css: str,
            make: Callable[[Target, str], Selector]) -> None:
        row = Row(label)
        with StaticServer(root, content_types=types) as server:
            for slug in slugs:
                page = browser.new_page()
                page.goto(server.url(path(slug)))
                selectors = [make(t, texts[slug]) for t in by_slug[slug]]
                row.add(selectors, anchor(page, selectors, css), [t.quote["exact"] for t in by_slug[slug]])
                page.close()
        rows.append(row)

    def text(slug: str) -> str:
        return f"data/articles/{slug}.txt"

    def article(slug: str) -> str:
        return f"articles/{slug}/"

    for types, served in ((NO_CHARSET, "text/plain"), (UTF8, "text/plain; charset=utf-8")):
        run(f"text as {served}: TextQuoteSelector", site, types, text, TEXT_ROOT, lambda t, _: t.quote)
        run(f"text as {served}: TextPositionSelector", site, types, text, TEXT_ROOT, lambda t, _: t.position)
    run(f"page {ARTICLE_ROOT}: TextQuoteSelector", site, {}, article, ARTICLE_ROOT, lambda t, _: t.quote)
    if not what_if:
        return rows
    with bom_copy(site, slugs) as bom:
        run("what if: text with a UTF-8 BOM as text/plain: TextQuoteSelector", bom, NO_CHARSET, text,
            TEXT_ROOT, lambda t, _: t.quote)
        run("what if: text with a UTF-8 BOM as text/plain: TextPositionSelector", bom, NO_CHARSET, text,
            TEXT_ROOT, lambda t, _: t.position)
    run("what if: text, prefix/suffix clipped to the passage", site, UTF8, text, TEXT_ROOT, clipped)
    run("what if: page, prefix/suffix clipped to the passage", site, {}, article, ARTICLE_ROOT, clipped)
    run("what if: page, CssSelector #pN .passage-text refinedBy the clipped quote", site, {}, article,
        ARTICLE_ROOT, lambda t, s: in_passage(t, clipped(t, s)))
    run("what if: page, CssSelector #pN .passage-text refinedBy today's quote", site, {}, article,
        ARTICLE_ROOT, lambda t, _: in_passage(t, t.quote))
    run("what if: page, CssSelector #pN .passage-text refinedBy a passage-relative position", site, {},
        article, ARTICLE_ROOT, lambda t, _: in_passage(t, passage_position(t)))
    return rows


def summary(rows: list[Row]) -> dict[str, Any]:
    """The counts as JSON-ready data."""
    return {row.label: {"anchored": row.total - row.failed, "failed": row.failed, "total": row.total}
            for row in rows}


def main(argv: list[str] | None = None) -> int:
    """Print anchored and failed counts per representation; exit 0 (a report, not a check)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, help="an already built site (default: build the repository)")
    parser.add_argument("--what-if", action="store_true", help="also count candidate selector fixes")
    parser.add_argument("--verbose", action="store_true", help="show the first failures of each row")
    parser.add_argument("--json", type=Path, help="also write the counts to this file")
    args = parser.parse_args(argv)
    ensure_bundle()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build(site)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            rows = measure(browser, site, args.what_if)
            browser.close()
    width = max(len(row.label) for row in rows)
    for row in rows:
        print(f"{row.label:<{width}}  {row.total - row.failed:>5} anchored  {row.failed:>5} failed"
              f"  of {row.total}")
        if args.verbose:
            for example in row.examples or []:
                print(f"    {example}")
    if args.json:
        args.json.write_text(json.dumps(summary(rows), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
