"""Template errors are the template's, in its terms; errors in the generator's own code stay bugs."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import Problem
from generator.render import Renderer, TemplateProblem
from generator.views import KindView


def renderer(tmp_path: Path, template: str) -> Renderer:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/page.md.j2").write_text(template, encoding="utf-8")
    return Renderer(tmp_path / "templates", tmp_path)


def problem(tmp_path: Path, template: str, **context: object) -> Problem:
    with pytest.raises(TemplateProblem) as caught:
        renderer(tmp_path, template).render_page("page.md.j2", **context)
    return caught.value.problem


ENTRY = KindView("Actors", "../actors/", 3)


def test_a_misspelt_field_is_named_as_the_template_writes_it(tmp_path: Path) -> None:
    found = problem(tmp_path, "<h1>\n{{ entry.titel }}</h1>\n", entry=ENTRY)
    assert found.format() == ("templates/page.md.j2:2: 'entry.titel' is undefined: KindView has no "
                              "field 'titel'. Did you mean 'title'?")


def test_an_unknown_variable_is_named(tmp_path: Path) -> None:
    found = problem(tmp_path, "{{ title }}\n")
    assert found.format() == ("templates/page.md.j2:1: 'title' is undefined. Use one of the variables "
                              "the page gets (see generator/views.py).")


def test_a_type_error_in_the_template_is_the_templates(tmp_path: Path) -> None:
    found = problem(tmp_path, "a\nb\n{{ entry.count + entry.title }}\n", entry=ENTRY)
    assert (found.path, found.line) == ("templates/page.md.j2", 3)
    assert found.problem.startswith("TypeError: unsupported operand")


def test_a_bug_in_a_filter_is_not_blamed_on_the_template(tmp_path: Path) -> None:
    render = renderer(tmp_path, "{{ entry|broken }}\n")

    def broken(value: object) -> str:
        return value.missing_attribute  # type: ignore[attr-defined, no-any-return]

    render.env.filters["broken"] = broken
    with pytest.raises(AttributeError, match="missing_attribute"):
        render.render_page("page.md.j2", entry=ENTRY)


def test_a_syntax_error_names_its_line(tmp_path: Path) -> None:
    found = problem(tmp_path, "ok\n{% if %}\n")
    assert (found.path, found.line) == ("templates/page.md.j2", 2)
    assert found.problem.startswith("template syntax error: ")
