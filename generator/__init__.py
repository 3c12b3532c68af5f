"""libya-explainer: fact sheets and articles to an explainer site with two-way citations."""

from __future__ import annotations

from generator.errors import ContentErrors, ExplainerError, Problem
from generator.exports import DataFile
from generator.pages import Page
from generator.pipeline import Project, Summary, check, generate, summarise
from generator.site import Site

__all__ = [
    "ContentErrors",
    "DataFile",
    "ExplainerError",
    "Page",
    "Problem",
    "Project",
    "Site",
    "Summary",
    "check",
    "generate",
    "summarise",
]
