"""The committed JSON Schemas match the models, and every sheet validates against them."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import REPO, ProjectDir

from generator import schema
from generator.cli import main


def test_committed_schemas_are_up_to_date() -> None:
    assert schema.stale(REPO) == [], "run 'explainer schema' and commit the result"


def test_schema_check_fails_when_out_of_date(project: ProjectDir, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(project.root), "schema"]) == 0
    (project.root / "schema/sheet.schema.json").write_text("{}\n")
    assert main(["--root", str(project.root), "schema", "--check"]) == 1
    assert capsys.readouterr().err == (
        "schema/sheet.schema.json: out of date. Run 'explainer schema' and commit the result.\n")


def _sheets() -> list[str]:
    return sorted(p.relative_to(REPO).as_posix() for p in (REPO / "content").glob("*/*.yml"))


def test_every_sheet_names_its_schema_and_validates_against_it() -> None:
    sheets = _sheets()
    assert sheets, "no sheets found"
    for rel in sheets:
        text = (REPO / rel).read_text(encoding="utf-8")
        first = text.splitlines()[0]
        kind = rel.split("/")[1]
        name = "event.schema.json" if kind == "events" else "sheet.schema.json"
        assert first == f"# yaml-language-server: $schema=../../schema/{name}", rel
        target = json.loads((REPO / "schema" / name).read_text(encoding="utf-8"))
        jsonschema.validate(yaml.safe_load(text), target)


def test_schema_rejects_what_the_model_rejects() -> None:
    target = json.loads((REPO / "schema/sheet.schema.json").read_text(encoding="utf-8"))
    good = {"name": "N", "summary": "S", "claims": [{"text": "t", "quote": "q"}]}
    jsonschema.validate(good, target)
    for bad in ({**good, "sumary": "x"}, {**good, "claims": []},
                {**good, "relations": [{"type": "bakcs", "target": "x", "quote": "q"}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, target)
