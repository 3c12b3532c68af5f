"""JSON Schemas for sheets, generated from the pydantic models, for editors to check as people type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from generator.model import EventSheet, Sheet

SCHEMA_DIR = "schema"


def schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema, for ordinary sheets and for event sheets."""
    out = {}
    for name, model, title in (("sheet.schema.json", Sheet, "Fact sheet"),
                               ("event.schema.json", EventSheet, "Event fact sheet")):
        schema = TypeAdapter(model).json_schema()
        out[name] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title,
            **{k: v for k, v in schema.items() if k != "title"},
        }
    return out


def render(schema: dict[str, Any]) -> str:
    """The committed text of a schema: sorted keys, two-space indent, final newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def stale(root: Path) -> list[str]:
    """Schema files under ``root`` that are missing or differ from the models."""
    return [
        f"{SCHEMA_DIR}/{name}" for name, schema in schemas().items()
        if not (root / SCHEMA_DIR / name).exists()
        or (root / SCHEMA_DIR / name).read_text(encoding="utf-8") != render(schema)
    ]


def write(root: Path) -> list[Path]:
    """Write every schema under ``root/schema``; return the paths written."""
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written
