"""A ready-to-fill sheet for ``explainer new``."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from generator.errors import ExplainerError, UsageError
from generator.model import KIND_SINGULAR, KINDS

SHEET_SCHEMA = "../../schema/sheet.schema.json"
EVENT_SCHEMA = "../../schema/event.schema.json"


class SheetExists(ExplainerError):
    """``explainer new`` would overwrite a sheet."""


def kind_of(word: str) -> str:
    """The kind folder for ``word``, singular or plural (``actor`` or ``actors``)."""
    for kind in KINDS:
        if word in (kind, KIND_SINGULAR[kind]):
            return kind
    choices = ", ".join(f"{KIND_SINGULAR[k]}" for k in KINDS)
    raise UsageError(f"unknown kind '{word}'. Use one of: {choices} (or their plurals).")


def slugify(name: str) -> str:
    """``"Khalifa Haftar"`` -> ``"khalifa-haftar"``: ASCII letters and digits joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not slug:
        raise UsageError(f"cannot make a file name from '{name}'. Use a name with letters or digits.")
    return slug


def sheet_text(kind: str, name: str) -> str:
    """The YAML of a new sheet: every field, with what to write in it."""
    schema = EVENT_SCHEMA if kind == "events" else SHEET_SCHEMA
    date = "" if kind != "events" else (
        "date:\n"
        "  as_written: \"\"   # the article's own words for the time, e.g. \"In November\"\n"
        "  precision: relative   # day, month, year, month-without-year, weekday or relative\n"
        "  order: 10   # position on the timeline, smaller first\n"
        "  quote: \"\"   # the article's exact words that contain as_written\n"
    )
    return (
        f"# yaml-language-server: $schema={schema}\n"
        f"name: {json.dumps(name, ensure_ascii=False)}\n"
        "aliases: []   # other names the article uses\n"
        "summary: >-\n"
        "  One paragraph that says only what the claims below support.\n"
        f"{date}"
        "claims:\n"
        "  - text: >-\n"
        "      The claim in your words, with the article's attribution when it gives one.\n"
        "    quote: \"\"   # the article's exact words, from one passage\n"
        "    # attribution: \"\"   # who the article says said it, e.g. \"the mayor, speaking to Reuters\"\n"
        "relations: []\n"
    )


def new_sheet(content_dir: Path, kind_word: str, name: str) -> Path:
    """Write a new sheet for ``name`` under ``content_dir``; refuse to overwrite one."""
    kind = kind_of(kind_word)
    slug = slugify(name)
    for other in KINDS:
        for suffix in (".yml", ".yaml"):
            existing = content_dir / other / f"{slug}{suffix}"
            if existing.exists():
                raise SheetExists(f"{existing.relative_to(content_dir.parent).as_posix()} already exists. "
                                  "Edit it, or choose another name.")
    path = content_dir / kind / f"{slug}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sheet_text(kind, name), encoding="utf-8")
    return path
