"""libya-explainer: fact sheets and articles to an explainer site with two-way citations."""

from __future__ import annotations

from generator.errors import ContentErrors, ExplainerError, Problem
from generator.pipeline import Project, Summary, check, generate, summarise
from generator.site import Page

__all__ = [
    "ContentErrors",
    "ExplainerError",
    "Page",
    "Problem",
    "Project",
    "Summary",
    "check",
    "generate",
    "summarise",
]
