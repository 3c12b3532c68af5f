"""One Jinja environment over ``templates/``: strict, autoescaped, with friendly errors."""

from __future__ import annotations

import json
import traceback
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from generator.errors import Problem

SEARCH_BLOCK = "search"
"""The template block that gives the search index its own, smaller version of a page."""


def _text(value: object) -> Markup:
    """Escape ``value`` for HTML and fold its whitespace onto one line."""
    return escape(" ".join(str(value).split()))


def _front_matter_title(value: object) -> Markup:
    """A page title for YAML front matter: a JSON string with ``& < > "`` as HTML entities.

    MkDocs and Material put the title into the page without escaping it (in
    ``<title>``, the header, the search index), so it must arrive escaped.
    """
    text = " ".join(str(value).split())
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        text = text.replace(char, entity)
    return Markup(json.dumps(text, ensure_ascii=False))


class TemplateProblem(Exception):
    """A template failed; carries the problem located in the template file."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


class Renderer:
    """Renders named templates from one folder."""

    def __init__(self, templates_dir: Path, root: Path) -> None:
        self.templates_dir = templates_dir
        self.root = root
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        # Compact JSON in insertion order (which the core keeps stable): `tojson` sorts
        # keys and pads separators by default, work and bytes on every page.
        self.env.policies["json.dumps_kwargs"] = {"sort_keys": False, "separators": (",", ":")}
        self.env.filters["text"] = _text
        self.env.filters["front_matter_title"] = _front_matter_title

    def render(self, name: str, **context: Any) -> str:
        """Render template ``name``; raise :class:`TemplateProblem` naming file and line."""
        return self.render_page(name, **context)[0]

    def render_page(self, name: str, **context: Any) -> tuple[str, str | None]:
        """Render template ``name`` and, if it defines one, its ``search`` block.

        The block is the page as the search index should see it: a template puts it inside
        ``{% if false %}`` so that the page itself never shows it.
        """
        try:
            template = self.env.get_template(name)
            text = template.render(**context)
            block = template.blocks.get(SEARCH_BLOCK)
            if block is None:
                return text, None
            return text, "".join(block(template.new_context(context)))
        except jinja2.TemplateNotFound as exc:
            raise TemplateProblem(Problem(
                self._rel(self.templates_dir / name), 0, f"template '{exc.name}' not found",
                "Restore it from the repository")) from None
        except jinja2.TemplateSyntaxError as exc:
            path = self._rel(Path(exc.filename)) if exc.filename else name
            raise TemplateProblem(Problem(path, exc.lineno, f"template syntax error: {exc.message}",
                                          "Fix the template")) from None
        except (jinja2.UndefinedError, TypeError, AttributeError) as exc:
            path, line = self._template_frame(exc, name)
            raise TemplateProblem(Problem(path, line, str(exc), "Fix the template")) from None

    def _template_frame(self, exc: BaseException, name: str) -> tuple[str, int]:
        """The template file and line where ``exc`` happened (Jinja keeps them in the traceback)."""
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.startswith(str(self.templates_dir)):
                return self._rel(Path(frame.filename)), frame.lineno or 0
        return self._rel(self.templates_dir / name), 0

    def _rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()
