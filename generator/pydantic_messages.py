"""Turn pydantic validation errors into the explainer's friendly messages."""

from __future__ import annotations

import difflib
import reprlib
import types
import typing
from typing import Any, Union

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from generator.model import UNION_TAGS

Loc = tuple[str | int, ...]

_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring, _REPR.maxother = 2, 4, 4, 60, 60
"""Values echoed in messages are excerpts: an alias bomb must not become a 30 MB message."""


def _show(value: Any) -> str:
    """A bounded ``repr`` of a value found in content."""
    return _REPR.repr(value)


def _quoted(value: Any) -> str:
    """A value as text in quotes, at most 60 characters of it."""
    text = value if isinstance(value, str) else _show(value)
    return "'" + (text if len(text) <= 60 else text[:57] + "...") + "'"


def describe_validation_error(
    exc: ValidationError, model: type
) -> list[tuple[Loc, str, str]]:
    """Return ``(loc, what is wrong, what to do)`` for every error in ``exc``."""
    described = []
    for error in exc.errors():
        loc: Loc = tuple(part for part in error["loc"] if part not in UNION_TAGS)
        described.append((loc, *_describe(error, loc, model)))
    return described


def _describe(error: Any, loc: Loc, model: type) -> tuple[str, str]:
    kind = error["type"]
    value = error.get("input")
    name = _name(loc)
    if kind == "missing":
        return f"missing required key {_quoted(loc[-1])}{_in(loc[:-1])}", f"Add '{loc[-1]}:' with a value"
    if kind == "unexpected_keyword_argument":  # a content model (a dataclass) forbids extra keys
        allowed = sorted(_fields_at(model, loc[:-1]))
        guess = difflib.get_close_matches(str(loc[-1])[:100], allowed, n=1)
        fix = f"Did you mean '{guess[0]}'?" if guess else "Allowed keys: " + ", ".join(allowed)
        return f"unknown key {_quoted(loc[-1])}{_in(loc[:-1])}", fix
    if kind == "string_type":
        return (f"{name} must be text, found {_type_name(value)}",
                "Write it as text; put it in quotes if YAML reads it as something else")
    if kind == "list_type":
        return f"{name} must be a list, found {_type_name(value)}", "Write one '- item' per line"
    if kind in ("dict_type", "dataclass_type"):
        return f"{name} must be a mapping of keys, found {_type_name(value)}", "Write 'key: value' lines"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{name} must be a whole number, found {_type_name(value)}", "Write a number such as 10"
    if kind == "literal_error":
        expected = [part.strip(" '") for part in error["ctx"]["expected"].replace(" or ", ", ").split(",")]
        guess = difflib.get_close_matches(str(value)[:100], expected, n=1) if isinstance(value, str) else []
        fix = f"Did you mean '{guess[0]}'?" if guess else "Use one of: " + ", ".join(expected)
        return f"{name} is {_quoted(value)}, which is not allowed", fix
    if kind == "string_too_short":
        return f"{name} is empty", "Fill it in"
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return (f"{name} is {len(value) if isinstance(value, str) else 'too many'} characters long; "
                f"at most {limit}", "Shorten it: a name, not a description (the summary says the rest)")
    if kind == "too_short":
        return f"{name} is empty", "Add at least one item"
    if kind == "string_pattern_mismatch":
        if loc and loc[-1] == "edtf":
            return (f"{name} {_quoted(value)} is not an EDTF date",
                    "Write e.g. '2019-04', or 'XXXX-11' when the article gives no year")
        if (loc and loc[-1] in ("same_as", "url")) or (len(loc) > 1 and loc[-2] == "same_as"):
            return f"{name} {_quoted(value)} is not an https URL", "Write a full https:// address"
        return (f"{name} {_quoted(value)} is not a slug",
                "Use the file name of a sheet or article, without .yml or .md, e.g. 'wagner-group'")
    if kind == "value_error":
        what, _, fix = str(error["ctx"]["error"]).partition(": ")
        return f"{name}: {what}", (fix[:1].upper() + fix[1:]) or "Fix the value"
    return f"{name}: {_show(error['msg'])[1:-1]}", "Fix the value"


def _name(loc: Loc) -> str:
    if not loc:
        return "the sheet"
    if isinstance(loc[-1], int):
        return f"item {loc[-1] + 1} of '{_dotted(loc[:-1])}'"
    return f"'{_dotted(loc)}'"


def _in(loc: Loc) -> str:
    return "" if not loc else f" in {_name(loc)}"


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        name = str(part) if len(str(part)) <= 40 else str(part)[:37] + "..."
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{name}" if out else name)
    return out


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a yes/no value)"
    return f"{_show(value)} ({type(value).__name__})"


def _fields_at(model: type, loc: Loc) -> set[str]:
    """Field names of the model found by following ``loc`` from ``model``."""
    annotation: Any = model
    for part in loc:
        target = _model_in(annotation)
        if isinstance(part, int):
            annotation = _list_item(annotation)
        elif target is not None and part in _fields_of(target):
            annotation = _fields_of(target)[part].annotation
        else:
            return set()
    target = _model_in(annotation)
    return set(_fields_of(target)) if target else set()


def _fields_of(model: type) -> dict[str, FieldInfo]:
    """A content model's fields (a pydantic dataclass's), by name."""
    fields: dict[str, FieldInfo] = getattr(model, "__pydantic_fields__", {})
    return fields


def _model_in(annotation: Any) -> type | None:
    if isinstance(annotation, type) and _fields_of(annotation):
        return annotation
    if typing.get_origin(annotation) in (Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None


def _list_item(annotation: Any) -> Any:
    if typing.get_origin(annotation) is list:
        return typing.get_args(annotation)[0]
    return None
