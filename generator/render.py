"""One Jinja environment over ``templates/``: strict, autoescaped, with friendly errors.

A mistake in a template (a misspelt field, a bad filter argument, a syntax error) becomes a
:class:`TemplateProblem` naming the template, its line and what the template got wrong, in
the template's terms. An exception raised inside the generator's own code while rendering
(a filter, a view model) is a bug and propagates with its traceback.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import json
import re
import traceback
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
from markupsafe import Markup

from generator.drawing import svg
from generator.errors import Problem
from generator.views import text

SEARCH_BLOCK = "search"
"""The template block that gives the search index its own, smaller version of a page."""

_TEMPLATE_ENGINE = tuple(str(Path(m.__file__ or "").resolve().parent) for m in (jinja2, markupsafe))


_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _front_matter_value(value: object) -> Markup:
    """``value`` as JSON that every YAML parser reads back unchanged, for a page's front matter.

    JSON is YAML, except that JSON writes a character beyond the Basic Multilingual Plane (an
    emoji, a flag) as two surrogate escapes, which YAML refuses; MkDocs then drops the whole
    front matter without a word. Those become YAML's own eight-digit escapes, and everything
    else non-ASCII is escaped too, so the front matter is plain ASCII.
    """
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))

    def astral(match: re.Match[str]) -> str:
        high, low = int(match.group(2), 16), int(match.group(3), 16)
        return f"{match.group(1)}\\U{0x10000 + (high - 0xD800) * 0x400 + (low - 0xDC00):08X}"

    if "\\ud" not in text:  # no surrogate escape: the common case, without a regular expression
        return Markup(text)
    return Markup(_SURROGATE_PAIR.sub(astral, text))


def _front_matter_title(value: object) -> Markup:
    """A page title for YAML front matter, with ``& < > "`` as HTML entities.

    MkDocs and Material put the title into the page without escaping it (in
    ``<title>``, the header, the search index), so it must arrive escaped.
    """
    text = " ".join(str(value).split())
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        text = text.replace(char, entity)
    return _front_matter_value(text)


class TemplateProblem(Exception):
    """A template failed; carries the problem located in the template file."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


class _MissingField(jinja2.UndefinedError):
    """A template used a name or field that does not exist; remembers what was asked of what."""

    def __init__(self, message: str | None = None, *, owner: object, name: object) -> None:
        super().__init__(message)
        self.owner = owner
        self.name = name


class _StrictUndefined(jinja2.StrictUndefined):
    """Jinja's strict undefined, raising :class:`_MissingField` so the message can use the
    template's own words."""

    def __init__(self, hint: str | None = None, obj: Any = jinja2.utils.missing, name: str | None = None,
                 exc: type[jinja2.UndefinedError] = jinja2.UndefinedError) -> None:
        super().__init__(hint, obj, name, exc)
        if hint is None:
            self._undefined_exception = functools.partial(_MissingField, owner=obj, name=name)  # type: ignore[assignment]


class Renderer:
    """Renders named templates from one folder."""

    def __init__(self, templates_dir: Path, root: Path) -> None:
        self.templates_dir = templates_dir.resolve()
        self.root = root
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            autoescape=True,
            undefined=_StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # Jinja would look at each template file's time on every page it renders (4 % of
            # rendering). A renderer lives for one build, or, in `mkdocs serve`, while the
            # templates' digest stays the same (see generator.pipeline._renderer).
            auto_reload=False,
        )
        # Compact JSON in insertion order (which the core keeps stable): `tojson` sorts
        # keys and pads separators by default, work and bytes on every page.
        self.env.policies["json.dumps_kwargs"] = {"sort_keys": False, "separators": (",", ":")}
        self.env.filters["text"] = text
        self.env.filters["svg"] = svg
        self.env.filters["front_matter_title"] = _front_matter_title
        self.env.filters["front_matter_value"] = _front_matter_value

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
            try:
                return text, "".join(block(template.new_context(context)))
            except Exception:
                self.env.handle_exception()  # gives the traceback the template's own lines
        except jinja2.TemplateNotFound as exc:
            raise TemplateProblem(Problem(
                self._rel(self.templates_dir / name), 0, f"template '{exc.name}' not found",
                "Restore it from the repository")) from None
        except jinja2.TemplateSyntaxError as exc:
            path = self._rel(Path(exc.filename)) if exc.filename else name
            raise TemplateProblem(Problem(path, exc.lineno, f"template syntax error: {exc.message}",
                                          "Fix the template")) from None
        except Exception as exc:
            frame = self._template_frame(exc)
            if frame is None:
                raise  # raised by the generator's own code: a bug, not the template's fault
            path, line, source = frame
            raise TemplateProblem(self._problem(exc, path, line, source)) from None

    def _template_frame(self, exc: BaseException) -> tuple[str, int, str] | None:
        """The template line that caused ``exc``, or None when Python code (a filter, a view) raised it.

        Jinja puts template lines into the traceback as frames of the template file. Walking
        from where the exception was raised outwards, past the template engine's own frames:
        a template frame blames the template; any other Python frame means a bug, unless what
        failed is an undefined value, which only a template's lookup makes.
        """
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            filename = str(Path(frame.filename).resolve()) if frame.filename else ""
            if filename.startswith(str(self.templates_dir)):
                return self._rel(Path(frame.filename)), frame.lineno or 0, frame.line or ""
            # An undefined value comes from a template's lookup, even when a filter trips on it.
            if not filename.startswith(_TEMPLATE_ENGINE) and not isinstance(exc, jinja2.UndefinedError):
                return None
        return None

    def _problem(self, exc: Exception, path: str, line: int, source: str) -> Problem:
        if isinstance(exc, _MissingField) and isinstance(exc.name, str):
            return _missing_field(path, line, source, exc.owner, exc.name)
        if isinstance(exc, jinja2.UndefinedError):
            return Problem(path, line, str(exc), "Fix the template")
        return Problem(path, line, f"{type(exc).__name__}: {exc}", "Fix the template")

    def _rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def _missing_field(path: str, line: int, source: str, owner: object, name: str) -> Problem:
    """``'sheet.sumary' is undefined``: the expression as the template line writes it."""
    if owner is jinja2.utils.missing:
        return Problem(path, line, f"'{name}' is undefined",
                       "Use one of the variables the page gets (see generator/views.py)")
    found = re.search(rf"([A-Za-z_][\w.]*)\.{re.escape(name)}\b", source)
    expression = f"{found.group(1)}.{name}" if found else name
    fields = _fields(owner)
    guess = difflib.get_close_matches(name, fields, n=1)
    what = f"'{expression}' is undefined: {type(owner).__name__} has no field '{name}'"
    fix = (f"Did you mean '{guess[0]}'?" if guess
           else "Its fields: " + ", ".join(fields) if fields else "Fix the template")
    return Problem(path, line, what, fix)


def _fields(owner: object) -> list[str]:
    """The names a template may read on ``owner``."""
    if dataclasses.is_dataclass(owner):
        names = [f.name for f in dataclasses.fields(owner)]
    elif isinstance(owner, dict):
        names = [str(key) for key in owner]
    else:
        names = []
    properties = [n for n in dir(type(owner)) if isinstance(getattr(type(owner), n, None), property)
                  and not n.startswith("_")]
    return names + [p for p in properties if p not in names]
