"""benchmarks/lighthouse.py: reading a Lighthouse report into scores and the audits behind them.

Lighthouse itself runs in benchmarks/lighthouse.py against a real site; these tests feed its parser a
small hand-written report (LHR) so the explanation a developer reads is checked without Chromium.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import REPO


def load_script() -> ModuleType:
    """The benchmark script as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("lighthouse_script", REPO / "benchmarks" / "lighthouse.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


script = load_script()
PAGE = "http://127.0.0.1:8123/graph/"


def lhr(performance: float, tbt_score: float = 1.0, extra_request: str | None = None) -> dict[str, Any]:
    """A minimal Lighthouse report: four categories, a weighted metric, a diagnostic, a font-size table."""
    requests = [{"url": PAGE}, {"url": "http://127.0.0.1:8123/assets/explainer.css"},
                {"url": "data:image/svg+xml,<svg/>"}]
    if extra_request:
        requests.append({"url": extra_request})
    return {
        "lighthouseVersion": "12.8.2", "finalDisplayedUrl": PAGE, "runWarnings": [],
        "categories": {
            "performance": {"score": performance, "auditRefs": [
                {"id": "total-blocking-time", "weight": 30}, {"id": "render-blocking-resources", "weight": 0},
                {"id": "render-blocking-insight", "weight": 0}, {"id": "network-requests", "weight": 0}]},
            "accessibility": {"score": 1.0, "auditRefs": []},
            "best-practices": {"score": 0.96, "auditRefs": [{"id": "font-size", "weight": 1}]},
            "seo": {"score": 1.0, "auditRefs": []},
        },
        "audits": {
            "total-blocking-time": {"title": "Total Blocking Time", "score": tbt_score,
                                    "scoreDisplayMode": "numeric", "displayValue": "150 ms"},
            "render-blocking-resources": {"title": "Eliminate render-blocking resources", "score": 0,
                                          "scoreDisplayMode": "metricSavings"},
            "render-blocking-insight": {
                "title": "Render blocking requests", "score": 0, "scoreDisplayMode": "metricSavings",
                "displayValue": "Est savings of 300 ms",
                "details": {"type": "list", "items": [{"type": "table", "items": [
                    {"url": "http://127.0.0.1:8123/assets/explainer.css", "wastedMs": 303.4,
                     "totalBytes": 2413}]}]}},
            "network-requests": {"title": "Network Requests", "score": None,
                                 "scoreDisplayMode": "informative", "details": {"items": requests}},
            "font-size": {"title": "Document doesn't use legible font sizes", "score": 0,
                          "scoreDisplayMode": "binary", "displayValue": "46% legible text",
                          "details": {"type": "table", "items": [
                              {"source": {"type": "source-location",
                                          "url": "http://127.0.0.1:8123/assets/explainer.css", "line": 247},
                               "selector": ".explainer .graph-edge-label", "fontSize": "9px",
                               "coverage": "1.74%"}]}},
        },
    }


def test_scores_and_the_audits_that_cost_points_come_from_the_median_run() -> None:
    result = script.page_result("graph/", [lhr(0.90, 0.5), lhr(0.98, 0.9), lhr(1.0)])
    assert result.scores == {"performance": 0.98, "accessibility": 1.0, "best-practices": 0.96, "seo": 1.0}
    assert result.performance_runs == [0.90, 0.98, 1.0]
    assert [(a.id, a.weight, a.score, a.display_value) for a in result.costs["performance"]] == [
        ("total-blocking-time", 30, 0.9, "150 ms")]
    assert [(a.id, a.items) for a in result.costs["best-practices"]] == [
        ("font-size",
         ["/assets/explainer.css:248 .explainer .graph-edge-label: fontSize=9px coverage=1.74%"])]
    assert set(result.costs) == {"performance", "best-practices"}


def test_of_two_runs_the_lower_performance_one_is_kept() -> None:
    assert script.page_result("graph/", [lhr(1.0), lhr(0.9, 0.5)]).scores["performance"] == 0.9


def test_diagnostics_keep_the_insight_and_drop_the_classic_audit_it_replaces() -> None:
    result = script.page_result("graph/", [lhr(0.98, 0.9)])
    assert [(a.id, a.items) for a in result.diagnostics] == [
        ("render-blocking-insight", ["/assets/explainer.css: wastedMs=303 totalBytes=2413"])]


def test_requests_outside_the_origin_are_reported(capsys: pytest.CaptureFixture[str]) -> None:
    clean = script.page_result("graph/", [lhr(1.0)])
    leaky = script.page_result("graph/", [lhr(1.0, extra_request="https://fonts.example.com/a.woff2")])
    script.print_result(leaky)
    assert clean.off_origin == []
    assert leaky.off_origin == ["https://fonts.example.com/a.woff2"]
    assert "request outside the site's origin: https://fonts.example.com/a.woff2" in capsys.readouterr().out


def test_a_site_folder_without_a_built_page_is_a_usage_error(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        script.main(["--site", str(tmp_path)])
    assert exit_.value.code == 2
    assert f"{tmp_path} has no index.html: build the site first" in capsys.readouterr().err
