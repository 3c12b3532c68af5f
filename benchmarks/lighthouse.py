"""Lighthouse scores of built pages, served compressed as a static host serves them, fully offline.

Usage:
  .venv/bin/python benchmarks/lighthouse.py --site DIR [--pages PATH ...] [--runs N] [--json OUT]
  .venv/bin/python benchmarks/lighthouse.py --build [--pages PATH ...]
  .venv/bin/python benchmarks/lighthouse.py --synthetic 3000 --pages graph/ timeline/

Serves DIR on 127.0.0.1 like a static host (gzip for text, ``charset=utf-8``, cache headers; see
tests/static_server.py), and runs the pinned Lighthouse CLI (benchmarks/lighthouse, installed with
``npm ci`` when missing) in Debian's Chromium with its default mobile preset and all four categories.
Prints each page's four scores and, for every score under 1.00, the audits that cost points (weighted
audits under 1) and, for performance, the diagnostics that explain them, each with its first details
rows (file, selector, figures). Exits 1 when a score is below ``--min-score`` (default 1.00) or a page
requested anything outside the site's origin, so CI can run it. Needs no network: npm only when
benchmarks/lighthouse/node_modules is missing; a run that hangs is killed after RUN_TIMEOUT.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from static_server import StaticServer  # noqa: E402

PACKAGE = REPO / "benchmarks" / "lighthouse"
CLI = PACKAGE / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update"]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
DEFAULT_PAGES = ("", "articles/russian-fighters-flown-out/", "actors/turkey/")
RUN_TIMEOUT = 300
"""Seconds for one Lighthouse run; a run that needs the network would hang, so it is killed."""
UNSCORED = ("informative", "notApplicable", "manual", "error")
DETAIL_ITEMS = 3
REPLACED_BY_INSIGHT = {
    "uses-long-cache-ttl": "cache-insight", "render-blocking-resources": "render-blocking-insight",
    "legacy-javascript": "legacy-javascript-insight", "dom-size": "dom-size-insight",
    "font-display": "font-display-insight", "critical-request-chains": "network-dependency-tree-insight",
    "duplicated-javascript": "duplicated-javascript-insight", "layout-shifts": "cls-culprits-insight",
    "third-party-summary": "third-parties-insight", "largest-contentful-paint-element": "lcp-phases-insight",
}
"""Lighthouse 12 reports these twice, as a classic audit and as an insight (13 keeps the insights)."""
FIGURES = ("wastedMs", "wastedBytes", "totalBytes", "fontSize", "coverage", "reflowTime", "duration",
           "cacheLifetimeMs")


class LighthouseError(RuntimeError):
    """npm, Node or Lighthouse failed; the message says what to do."""


class RunError(LighthouseError):
    """Lighthouse ran but could not audit the page (on a busy machine, often a protocol timeout)."""


@dataclass
class AuditResult:
    """One audit that lost points (or, with weight 0, explains a lost point)."""

    id: str
    title: str
    score: float
    display_value: str
    weight: float
    items: list[str] = field(default_factory=list)
    """Lighthouse's first few details rows (file, selector or node, and the figures), for the why."""


@dataclass
class PageResult:
    """The scores of one page (the median run) and the audits behind any score under 1.00."""

    path: str
    scores: dict[str, float]
    costs: dict[str, list[AuditResult]] = field(default_factory=dict)
    diagnostics: list[AuditResult] = field(default_factory=list)
    performance_runs: list[float] = field(default_factory=list)
    lighthouse_version: str = ""
    warnings: list[str] = field(default_factory=list)
    off_origin: list[str] = field(default_factory=list)
    """Requests to anything but the site's origin (the site promises none)."""


def ensure_lighthouse() -> Path:
    """The Lighthouse CLI, installed from the committed lock file if it is missing."""
    if shutil.which("node") is None:
        raise LighthouseError("node is not installed: install Node.js 20 or later.")
    if CLI.exists():
        return CLI
    npm = shutil.which("npm")
    if npm is None:
        raise LighthouseError("npm is not installed: install Node.js 20 or later.")
    result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--prefix", str(PACKAGE)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0 or not CLI.exists():
        raise LighthouseError("npm ci --prefix benchmarks/lighthouse failed:\n"
                              f"{result.stdout}{result.stderr}")
    return CLI


def build_site(destination: Path, project: Path = REPO) -> None:
    """``mkdocs build --strict`` of ``project`` (default: the repository) into ``destination``."""
    mkdocs = REPO / ".venv" / "bin" / "mkdocs"
    command = [str(mkdocs)] if mkdocs.exists() else [sys.executable, "-m", "mkdocs"]
    subprocess.run([*command, "build", "--strict", "-q", "-d", str(destination)], cwd=project, check=True,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))


def build_synthetic(destination: Path, workdir: Path, n_sheets: int) -> None:
    """Build benchmarks/scale.py's synthetic corpus of ``n_sheets`` sheets into ``destination``."""
    spec = importlib.util.spec_from_file_location("scale", REPO / "benchmarks" / "scale.py")
    assert spec is not None and spec.loader is not None
    scale = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = scale
    spec.loader.exec_module(scale)
    build_site(destination, scale.make_project(workdir / "project", n_sheets))


def run_lighthouse(cli: Path, url: str, out_dir: Path, name: str,
                   categories: tuple[str, ...] = CATEGORIES) -> dict[str, Any]:
    """One Lighthouse run of ``url``; returns the report (LHR) and leaves JSON and HTML in ``out_dir``."""
    command = ["node", str(cli), url, "--quiet", "--output=json", "--output=html",
               f"--output-path={out_dir / name}", f"--only-categories={','.join(categories)}",
               f"--chrome-flags={' '.join(CHROME_FLAGS)}", "--no-enable-error-reporting"]
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", CHROMIUM))
    # Its own session, so a hung run's Chromium is killed with it and nothing else is.
    process = subprocess.Popen(command, cwd=PACKAGE, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise RunError(f"Lighthouse did not finish {url} in {RUN_TIMEOUT} s.") from None
    report = out_dir / f"{name}.report.json"
    if process.returncode != 0 or not report.exists():
        raise RunError(f"Lighthouse failed on {url} (exit {process.returncode}):\n{stdout}{stderr}")
    lhr: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    if lhr.get("runtimeError"):
        raise RunError(f"Lighthouse could not audit {url}: {lhr['runtimeError'].get('message')}")
    return lhr


def run_once_more_on_error(cli: Path, url: str, out_dir: Path, name: str,
                           categories: tuple[str, ...]) -> dict[str, Any]:
    """:func:`run_lighthouse`, tried a second time when a run fails (heavy pages on a shared machine)."""
    try:
        return run_lighthouse(cli, url, out_dir, name, categories)
    except RunError as error:
        print(f"  retrying once: {error}", file=sys.stderr)
        return run_lighthouse(cli, url, out_dir, name, categories)


def audit(lhr: dict[str, Any], audit_id: str, weight: float) -> AuditResult | None:
    """The audit if it lost points: scored, and under 1."""
    data = lhr["audits"][audit_id]
    if data.get("scoreDisplayMode") in UNSCORED or data.get("score") is None or data["score"] >= 1:
        return None
    return AuditResult(audit_id, data["title"], data["score"], data.get("displayValue", ""), weight,
                       detail_items(data.get("details") or {}, lhr["finalDisplayedUrl"]))


def detail_items(details: dict[str, Any], page_url: str) -> list[str]:
    """The first rows of an audit's details table, each as ``where: figure=value ...``."""
    if details.get("type") == "list":  # insights nest their tables (or a request tree) in a list
        parts = details.get("items", [])
        tree = next((p["value"] for p in parts if p.get("value", {}).get("type") == "network-tree"), None)
        if tree is not None:
            return [longest_chain(tree, page_url)]
        details = next((d for d in parts if d.get("type") == "table"), {})
    origin = "/".join(page_url.split("/", 3)[:3])
    rows = []
    for item in details.get("items", [])[:DETAIL_ITEMS]:
        source, node = item.get("source") or {}, item.get("node") or {}
        where = (item.get("url") or (f"{source.get('url')}:{source.get('line', 0) + 1}" if source.get("url")
                                     else source.get("value"))
                 or item.get("selector") or node_label(node) or item.get("statistic")
                 or item.get("groupLabel") or "")
        if item.get("selector") and source.get("url"):
            where += f" {item['selector']}"
        figures = " ".join(f"{key}={round(item[key]) if isinstance(item[key], float) else item[key]}"
                           for key in FIGURES if key in item)
        if isinstance(item.get("value"), dict) and "value" in item["value"]:
            figures += f" value={item['value']['value']}"
        rows.append(f"{str(where).replace(origin, '')}: {figures}".rstrip(": "))
    return rows


def page_result(path: str, runs: list[dict[str, Any]]) -> PageResult:
    """The median run by performance score (the lower of two middles), with the audits behind every
    score under 1.00."""
    performance = [run["categories"]["performance"]["score"] or 0.0 for run in runs]
    median = sorted(range(len(runs)), key=lambda i: performance[i])[(len(runs) - 1) // 2]  # lower middle
    lhr = runs[median]
    result = PageResult(path, {c: lhr["categories"][c]["score"] or 0.0 for c in CATEGORIES
                               if c in lhr["categories"]},
                        performance_runs=performance, lighthouse_version=lhr["lighthouseVersion"],
                        warnings=list(lhr.get("runWarnings", [])), off_origin=off_origin(lhr))
    for category in result.scores:
        if result.scores[category] >= 1:
            continue
        refs = lhr["categories"][category]["auditRefs"]
        result.costs[category] = [a for ref in refs if ref["weight"] > 0
                                  if (a := audit(lhr, ref["id"], ref["weight"]))]
        if category == "performance":
            failing = [a for ref in refs if ref["weight"] == 0 if (a := audit(lhr, ref["id"], 0))]
            shown = {a.id for a in failing}
            result.diagnostics = [a for a in failing if REPLACED_BY_INSIGHT.get(a.id) not in shown]
    return result


def describe(a: AuditResult) -> str:
    """An audit's title, score and Lighthouse's own figure (``1.4 s``, ``6 resources found``)."""
    return f"{a.title}: score {a.score:.2f}" + (f", {a.display_value}" if a.display_value else "")


def node_label(node: dict[str, Any]) -> str:
    """A DOM node as Lighthouse shows it: its selector and the start of its markup."""
    if not node:
        return ""
    snippet = " ".join(node.get("snippet", "").split())
    return f"{node.get('selector', '')} {snippet[:100]}".strip()


def off_origin(lhr: dict[str, Any]) -> list[str]:
    """Every requested URL outside the page's origin (``data:`` URLs stay inside the page)."""
    origin = "/".join(lhr["finalDisplayedUrl"].split("/", 3)[:3]) + "/"
    requests = (lhr["audits"].get("network-requests", {}).get("details") or {}).get("items", [])
    return [r["url"] for r in requests if not r["url"].startswith((origin, "data:"))]


def longest_chain(tree: dict[str, Any], page_url: str) -> str:
    """The critical request chain Lighthouse marks longest: ``/a -> /b -> /c (N ms)``."""
    origin = "/".join(page_url.split("/", 3)[:3])
    urls, chains, end = [], tree.get("chains", {}), 0.0
    while chains:
        node = next((n for n in chains.values() if n.get("isLongest")), next(iter(chains.values())))
        urls.append(node["url"].replace(origin, "") or "/")
        end, chains = node.get("navStartToEndTime", end), node.get("children", {})
    return f"longest chain: {' -> '.join(urls)} ({end:.0f} ms)"


def print_result(result: PageResult) -> None:
    """The page's scores, then why any is under 1.00."""
    scores = "  ".join(f"{c} {score:.2f}" for c, score in result.scores.items())
    spread = ""
    if len(result.performance_runs) > 1:
        spread = f"  (performance over {len(result.performance_runs)} runs: " + \
                 ", ".join(f"{s:.2f}" for s in result.performance_runs) + \
                 "; the scores shown are the median run)"
    print(f"/{result.path}  {scores}{spread}")
    for category, costs in result.costs.items():
        print(f"  {category} {result.scores[category]:.2f}, points lost on:")
        for a in costs:
            print(f"    {a.id} (weight {a.weight:g}): {describe(a)}")
            for row in a.items:
                print(f"      {row}")
    if result.diagnostics:
        print("  performance diagnostics (no weight of their own; they explain the metrics):")
        for a in result.diagnostics:
            print(f"    {a.id}: {describe(a)}")
            for row in a.items:
                print(f"      {row}")
    for warning in result.warnings:
        print(f"  warning: {warning}")
    for url in result.off_origin:
        print(f"  request outside the site's origin: {url}")


class _ElementCounter(HTMLParser):
    """Counts the elements of an HTML document (start tags, void ones included)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.count += 1


def page_weight(site: Path, path: str) -> str:
    """The page's HTML as a host sends it: bytes, gzipped bytes and number of elements."""
    file = site / path / "index.html" if not path or path.endswith("/") else site / path
    data = file.read_bytes()
    counter = _ElementCounter()
    counter.feed(data.decode("utf-8"))
    return (f"  HTML {len(data) / 1024:.0f} KB ({len(gzip.compress(data, 6)) / 1024:.0f} KB gzipped), "
            f"{counter.count} elements")


def measure(site: Path, pages: list[str], runs: int, report_dir: Path | None,
            categories: tuple[str, ...] = CATEGORIES) -> list[PageResult]:
    """Serve ``site`` host-like and run Lighthouse ``runs`` times on each page."""
    cli = ensure_lighthouse()
    results = []
    with tempfile.TemporaryDirectory() as tmp, StaticServer(site, host_like=True) as server:
        for path in pages:
            name = path.strip("/").replace("/", "_") or "home"
            lhrs = [run_once_more_on_error(cli, server.url(path), Path(tmp), f"{name}-{i + 1}", categories)
                    for i in range(runs)]
            result = page_result(path, lhrs)
            print_result(result)
            print(page_weight(site, path))
            results.append(result)
            if report_dir is not None:
                report_dir.mkdir(parents=True, exist_ok=True)
                for report in Path(tmp).glob(f"{name}-*.report.*"):
                    shutil.copy(report, report_dir / report.name)
    return results


def main(argv: list[str] | None = None) -> int:
    """Run Lighthouse on the pages; exit 1 when a score is under ``--min-score``, 2 on bad usage."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--site", type=Path, help="an already built site folder")
    source.add_argument("--build", action="store_true", help="build the repository into a temporary folder")
    source.add_argument("--synthetic", type=int, metavar="N",
                        help="build benchmarks/scale.py's corpus of N sheets into a temporary folder")
    parser.add_argument("--pages", nargs="+", default=list(DEFAULT_PAGES),
                        help='URL paths under the site, e.g. "" articles/russian-fighters-flown-out/')
    parser.add_argument("--runs", type=int, default=1,
                        help="runs per page; the median by performance is kept")
    parser.add_argument("--json", type=Path, help="write the scores and failing audits to this file")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's own JSON and HTML reports here")
    parser.add_argument("--min-score", type=float, default=1.0, help="exit 1 when any score is below this")
    parser.add_argument("--categories", default=",".join(CATEGORIES),
                        help="comma-separated; on huge pages axe (accessibility) can exceed Lighthouse's "
                             "30 s protocol timeout")
    args = parser.parse_args(argv)
    categories = tuple(c.strip() for c in args.categories.split(",") if c.strip())
    if unknown := [c for c in categories if c not in CATEGORIES]:
        parser.error(f"unknown category {unknown[0]!r}: choose from {', '.join(CATEGORIES)}.")
    if args.site is not None and not (args.site / "index.html").is_file():
        parser.error(f"{args.site} has no index.html: build the site first (mkdocs build -d {args.site}) "
                     "or pass --build.")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            site = args.site
            if site is None:
                site = Path(tmp) / "site"
                if args.synthetic:
                    build_synthetic(site, Path(tmp), args.synthetic)
                else:
                    build_site(site)
            results = measure(site, [p.lstrip("/") for p in args.pages], max(1, args.runs), args.reports,
                              categories)
    except LighthouseError as error:
        print(f"lighthouse: {error}", file=sys.stderr)
        return 1
    if args.json:
        args.json.write_text(json.dumps([{
            "path": r.path, "scores": r.scores, "performance_runs": r.performance_runs,
            "lighthouse": r.lighthouse_version, "warnings": r.warnings, "off_origin": r.off_origin,
            "costs": {c: [vars(a) for a in costs] for c, costs in r.costs.items()},
            "diagnostics": [vars(a) for a in r.diagnostics]} for r in results], indent=2) + "\n",
            encoding="utf-8")
    low = [(r.path, c, s) for r in results for c, s in r.scores.items() if s < args.min_score]
    low += [(r.path, "off-origin", 0.0) for r in results if r.off_origin]
    summary = " ".join(f"/{r.path}=" + "/".join(f"{s:.2f}" for s in r.scores.values()) for r in results)
    print(f"lighthouse: {summary} ({'/'.join(categories)})")
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
