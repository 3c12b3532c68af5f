"""Apache Annotator (``@apache-annotator/dom``) in a Playwright page: anchor W3C selectors.

The bundle is built from ``tests/js`` (``npm ci --prefix tests/js && npm run --prefix tests/js build``);
:func:`ensure_bundle` does that when it is missing. ``anchor(page, selectors, root)`` injects it and
returns, per selector, every string Apache Annotator's matchers find inside the element ``root``
(a CSS selector). A selector anchors when it finds exactly one string, equal to its ``exact``.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

JS_DIR = Path(__file__).resolve().parent / "js"
BUNDLE = JS_DIR / "build" / "annotator.js"
SOURCES = (JS_DIR / "src" / "annotator.js", JS_DIR / "package-lock.json")

Selector = dict[str, Any]


class BundleError(RuntimeError):
    """npm is missing or the bundle could not be built."""


def ensure_bundle() -> Path:
    """The bundle's path, after installing and building it if it is missing or older than its sources."""
    if BUNDLE.exists() and all(BUNDLE.stat().st_mtime >= src.stat().st_mtime for src in SOURCES):
        return BUNDLE
    npm = shutil.which("npm")
    if npm is None:
        raise BundleError("npm is not installed: install Node.js 20 or later to build "
                          "tests/js/build/annotator.js.")
    steps = [] if (JS_DIR / "node_modules" / ".package-lock.json").exists() else [
        [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(JS_DIR)]]
    steps.append([npm, "run", "--silent", "--prefix", str(JS_DIR), "build"])
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BundleError(f"{' '.join(step[:2])} failed in tests/js:\n{result.stdout}{result.stderr}")
    return BUNDLE


def inject(page: Page) -> None:
    """Add the bundle to ``page`` unless it is there already."""
    if not page.evaluate("() => Boolean(window.explainerAnnotator)"):
        page.add_script_tag(path=str(ensure_bundle()))


def anchor(page: Page, selectors: Sequence[Selector], root_css: str) -> list[list[str]]:
    """Per selector, the strings Apache Annotator matches within the element ``root_css`` of ``page``."""
    inject(page)
    result: list[list[str]] = page.evaluate(
        "([selectors, root]) => window.explainerAnnotator.anchor(selectors, root)",
        [list(selectors), root_css])
    return result


def _targets(item: dict[str, Any]) -> list[dict[str, Any]]:
    target = item["target"]
    return target if isinstance(target, list) else [target]


def _selectors(target: dict[str, Any]) -> list[Selector]:
    selector = target["selector"]
    return selector if isinstance(selector, list) else [selector]


def text_target(item: dict[str, Any]) -> dict[str, Any]:
    """The target of an annotation whose source is the article's plain text."""
    return next(t for t in _targets(item) if t["source"].get("format") == "text/plain")


def page_target(item: dict[str, Any]) -> dict[str, Any]:
    """The target of an annotation whose source is the annotated article page."""
    return next(t for t in _targets(item) if t["source"].get("format") == "text/html")


def quote_selectors(annotations: dict[str, Any]) -> list[Selector]:
    """Every TextQuoteSelector on the plain text of an AnnotationCollection (data/annotations/*.jsonld)."""
    return [selector for item in annotations["first"]["items"]
            for selector in _selectors(text_target(item)) if selector["type"] == "TextQuoteSelector"]


def position_selectors(annotations: dict[str, Any]) -> list[Selector]:
    """Every TextPositionSelector on the plain text of an AnnotationCollection."""
    return [selector for item in annotations["first"]["items"]
            for selector in _selectors(text_target(item)) if selector["type"] == "TextPositionSelector"]


def page_selectors(annotations: dict[str, Any]) -> list[Selector]:
    """Every selector of an AnnotationCollection on the article page (a CssSelector refined by a quote)."""
    return [selector for item in annotations["first"]["items"] for selector in _selectors(page_target(item))]


def failures(selectors: Sequence[Selector], matches: Sequence[list[str]],
             expected: Sequence[str] | None = None) -> list[tuple[Selector, list[str]]]:
    """The selectors that did not match exactly once, the one match equal to ``expected`` (default: exact)."""
    wanted = expected if expected is not None else [s["exact"] for s in selectors]
    return [(selector, found) for selector, found, text in zip(selectors, matches, wanted, strict=True)
            if found != [text]]
