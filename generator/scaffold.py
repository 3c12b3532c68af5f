"""A ready-to-fill sheet for ``explainer new``."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from generator.errors import ExplainerError, UsageError
from generator.load import SHEET_SUFFIXES
from generator.model import DATE_PRECISIONS, KIND, KIND_TABLE, MAX_NAME

SHEET_SCHEMA = "../../schema/sheet.schema.json"
EVENT_SCHEMA = "../../schema/event.schema.json"
MAX_SLUG = 60
"""Longest file name ``explainer new`` makes: file systems refuse names over 255 bytes, and a
long name is a sign the name wants shortening anyway."""


class SheetExists(ExplainerError):
    """``explainer new`` would overwrite a sheet."""


def kind_of(word: str) -> str:
    """The kind folder for ``word``, singular or plural (``actor`` or ``actors``)."""
    for kind in KIND_TABLE:
        if word in (kind.folder, kind.singular):
            return kind.folder
    choices = ", ".join(kind.singular for kind in KIND_TABLE)
    raise UsageError(f"unknown kind '{word}'. Use one of: {choices} (or their plurals).")


def _check_name(name: str) -> None:
    """Refuse a name no sheet could hold, before any file is written."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        # A terminal passes bytes that are not UTF-8 as lone surrogates.
        raise UsageError("the name holds bytes that are not UTF-8 text. Type the name again in a "
                         "UTF-8 terminal.") from None
    if not name.strip():
        raise UsageError("the name is empty. Give the entity's name as the article writes it.")
    if len(name) > MAX_NAME:
        raise UsageError(f"the name is {len(name)} characters long; at most {MAX_NAME}. Give a name; "
                         "the sheet's summary says the rest.")
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise UsageError("the name holds a control character. Type it again as plain text.")


def slugify(name: str) -> str:
    """``"Khalifa Haftar"`` -> ``"khalifa-haftar"``: ASCII letters and digits joined by hyphens.

    Apostrophes join rather than split (``"Libya's"`` -> ``"libyas"``); a long name is cut at a
    hyphen to :data:`MAX_SLUG` characters.
    """
    ascii_name = unicodedata.normalize("NFKD", re.sub(r"['\u2019]", "", name))
    ascii_name = ascii_name.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    if not slug:
        raise UsageError(f"cannot make a file name from {json.dumps(name[:80])}. "
                         "Use a name with letters or digits.")
    return slug


def sheet_text(kind: str, name: str) -> str:
    """The YAML of a new sheet: every field, with what to write in it."""
    dated = KIND[kind].dated
    schema = EVENT_SCHEMA if dated else SHEET_SCHEMA
    precisions = "\n".join(f"  #   {key}: {meaning}" for key, meaning in DATE_PRECISIONS.items())
    date = "" if not dated else (
        "date:\n"
        "  as_written: \"\"   # the article's own words for the time, e.g. \"In November\"\n"
        "  precision: relative   # one of:\n"
        f"{precisions}\n"
        "  quote: \"\"   # the article's exact words that contain as_written\n"
    )
    return (
        f"# yaml-language-server: $schema={schema}\n"
        f"name: {json.dumps(name, ensure_ascii=False)}\n"
        "aliases: []   # other names the article uses\n"
        "summary: >-\n"
        "  The lead: at most two sentences, saying only what the claims below support.\n"
        f"{date}"
        "claims:\n"
        "  - text: >-\n"
        "      The claim in your words, with the article's attribution when it gives one.\n"
        "    quote: \"\"   # the article's exact words, from one passage\n"
        "    # attribution: \"\"   # who the article says said it, e.g. \"the mayor, speaking to Reuters\"\n"
        "    # source: \"\"   # the sheet of who said it, e.g. salem-alaywan\n"
        "    # via: \"\"   # the sheet of the outlet it went through, e.g. reuters\n"
        "relations: []\n"
    )


def new_sheet(content_dir: Path, kind_word: str, name: str) -> Path:
    """Write a new sheet for ``name`` under ``content_dir``; refuse to overwrite one."""
    kind = kind_of(kind_word)
    _check_name(name)
    slug = slugify(name)
    for other in KIND_TABLE:
        for suffix in SHEET_SUFFIXES:
            existing = content_dir / other.folder / f"{slug}{suffix}"
            if existing.exists() or existing.is_symlink():
                raise SheetExists(f"{existing.relative_to(content_dir.parent).as_posix()} already exists. "
                                  "Edit it, or choose another name.")
    path = content_dir / kind / f"{slug}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sheet_text(kind, name), encoding="utf-8")
    return path
