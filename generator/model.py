"""The content schema: pydantic models for sheets, claims, relations and articles.

Every model forbids unknown keys, so a misspelt key is an error rather than a
silently ignored field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

KINDS: tuple[str, ...] = ("actors", "equipment", "agreements", "places", "events")
"""Sheet kinds, in the order the site presents them; each is a folder of ``content/``."""

KIND_TITLES: dict[str, str] = {
    "actors": "Actors",
    "equipment": "Equipment",
    "agreements": "Agreements",
    "places": "Places",
    "events": "Events",
}

KIND_SINGULAR: dict[str, str] = {
    "actors": "actor",
    "equipment": "equipment",
    "agreements": "agreement",
    "places": "place",
    "events": "event",
}

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

RELATION_TYPES: dict[str, tuple[str, str]] = {
    # type: (label on the sheet that states it, label on the target's sheet)
    "backs": ("backs", "backed by"),
    "opposes": ("opposes", "opposed by"),
    "supplies": ("supplies", "supplied by"),
    "fights-for": ("fights for", "has fighters from"),
    "withdrew-from": ("withdrew from", "withdrawn from by"),
    "signed": ("signed", "signed by"),
    "destroyed": ("destroyed", "destroyed by"),
    "located-in": ("located in", "location of"),
    "part-of": ("part of", "includes"),
    "leads": ("leads", "led by"),
    "operates": ("operates", "operated by"),
    "built-by": ("built by", "builder of"),
    "recaptured": ("recaptured", "recaptured by"),
    "works-for": ("works for", "employs"),
    "reported": ("reported", "reported by"),
    "recognises": ("recognises", "recognised by"),
    "deployed-to": ("deployed to", "received deployment of"),
    "stronghold-of": ("stronghold of", "holds stronghold"),
    "accompanies": ("accompanies", "accompanied by"),
    "took-part-in": ("took part in", "involved"),
    "attacked": ("attacked", "attacked by"),
    "claims": ("claims", "claimed by"),
    "flew-to": ("flew to", "destination of"),
    "flew-from": ("flew from", "departure point of"),
}
"""Relation types and their labels in both directions."""

RelationType = Literal[
    "backs", "opposes", "supplies", "fights-for", "withdrew-from", "signed",
    "destroyed", "located-in", "part-of", "leads", "operates", "built-by",
    "recaptured", "works-for", "reported", "recognises", "deployed-to",
    "stronghold-of", "accompanies", "took-part-in", "attacked", "claims",
    "flew-to", "flew-from",
]  # fmt: skip

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN.pattern)]

SchemaType = Literal["Person", "Organization", "Place", "Event", "Product", "Thing"]

DatePrecision = Literal["day", "month", "year", "month-without-year", "weekday", "relative", "unstated"]


class Strict(BaseModel):
    """Base of every content model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Claim(Strict):
    """One statement on a sheet, resting on the article's exact words."""

    text: Text = Field(description="The claim, in your words, saying only what the article says.")
    quote: Text = Field(description="The article's exact words the claim rests on (one passage).")
    article: Slug | None = Field(
        default=None,
        description="Slug of the article quoted; required once the project has several articles.",
    )
    attribution: Text | None = Field(
        default=None,
        description="Who the article attributes the statement to, e.g. 'the mayor told Reuters'.",
    )


class Relation(Strict):
    """A typed link from this sheet to another, resting on its own quote."""

    type: RelationType = Field(description="What this sheet does to the target.")
    target: Slug = Field(description="Slug of the target sheet (file name without .yml).")
    quote: Text = Field(description="The article's exact words that support the relation.")
    article: Slug | None = Field(default=None, description="Slug of the article quoted.")
    attribution: Text | None = Field(default=None, description="Who the article attributes it to.")


class EventDate(Strict):
    """When an event happened, exactly as precise as the article is.

    ``precision: unstated`` says the article gives no time at all; then there
    are no words to quote and ``order`` alone places the event.
    """

    as_written: Text | None = Field(
        default=None,
        description="The article's own words for the time, e.g. 'in November'; "
        "leave out when precision is 'unstated'.")
    precision: DatePrecision = Field(description="How precise those words are; 'unstated' when the "
                                     "article gives no time.")
    edtf: str | None = Field(
        default=None,
        pattern=r"^(?:\d{4}|X{4})(?:-(?:\d{2}|XX)(?:-(?:\d{2}|XX))?)?$",
        description="The date in EDTF with X for every digit the article does not give, "
        "e.g. '2019-04' or 'XXXX-11'; leave out for relative times.",
    )
    order: int = Field(description="Position in the timeline; smaller comes first.")
    quote: Text | None = Field(default=None, description="The article's exact words containing "
                               "as_written; leave out when precision is 'unstated'.")
    article: Slug | None = Field(default=None, description="Slug of the article quoted.")

    @model_validator(mode="after")
    def _words_match_precision(self) -> EventDate:
        given = [key for key in ("as_written", "quote", "edtf") if getattr(self, key) is not None]
        if self.precision == "unstated" and given:
            raise ValueError(f"precision 'unstated' takes no {', '.join(given)}: "
                             "remove it, or give the precision the words have")
        missing = [key for key in ("as_written", "quote") if getattr(self, key) is None]
        if self.precision != "unstated" and missing:
            raise ValueError(f"precision '{self.precision}' needs {' and '.join(missing)}: "
                             "quote the article's words for the time, or use precision 'unstated'")
        return self


class Sheet(Strict):
    """A fact sheet: one entity, its sourced claims and its relations."""

    name: Text = Field(description="The entity's name as the site shows it.")
    aliases: list[Text] = Field(default=[], description="Other names the article uses.")
    summary: Text = Field(description="One paragraph, saying only what the claims support.")
    claims: list[Claim] = Field(min_length=1, description="Sourced statements about the entity.")
    relations: list[Relation] = Field(default=[], description="Typed links to other sheets.")
    same_as: list[Annotated[str, StringConstraints(pattern=r"^https://\S+$")]] = Field(
        default=[], description="Pages elsewhere about exactly this entity (https URLs)."
    )
    schema_type: SchemaType | None = Field(
        default=None,
        description="The schema.org type published for the sheet; by default Place for places, "
        "Event for events, Product for equipment and Thing otherwise.",
    )


class EventSheet(Sheet):
    """A sheet for an event: a sheet with a date."""

    date: EventDate


@dataclass(frozen=True)
class Passage:
    """One paragraph of an article, with its stable id (``p1``, ``p2``...)."""

    id: str
    text: str
    line: int


@dataclass(frozen=True)
class Article:
    """An article: its slug (file name), title and passages in order."""

    slug: str
    title: str
    path: str
    passages: tuple[Passage, ...]

    def passage(self, passage_id: str) -> Passage:
        """Return the passage with that id."""
        return next(p for p in self.passages if p.id == passage_id)


@dataclass(frozen=True)
class LoadedSheet:
    """A validated sheet with where it came from and the line of every value."""

    kind: str
    slug: str
    path: str
    sheet: Sheet
    lines: dict[tuple[str | int, ...], int]

    def line(self, *loc: str | int) -> int:
        """Line of the value at ``loc``, or of its closest enclosing value."""
        return line_of(self.lines, loc)


def line_of(lines: dict[tuple[str | int, ...], int], loc: tuple[str | int, ...]) -> int:
    """Line of the value at ``loc`` in a line map, or of its closest enclosing value."""
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc, 1)


class ArticleFrontMatter(Strict):
    """What an article file may record about itself: only its title."""

    title: Text
