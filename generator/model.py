"""The content schema: pydantic models for sheets, claims, relations and articles.

Every model forbids unknown keys, so a misspelt key is an error rather than a
silently ignored field. The tables here (kinds, relation types, date precisions)
are the one place each list is written down; everything else derives from them.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)
from pydantic.dataclasses import dataclass as pydantic_dataclass

from generator.yamlread import Lines, Loc, PackedLines

# Kinds ------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A kind of fact sheet: its folder under ``content/`` and how the site names it."""

    folder: str
    """The folder under ``content/`` and the URL segment of its pages, e.g. ``actors``."""
    title: str
    """The plural heading, e.g. ``Actors``."""
    singular: str
    """One of them, e.g. ``actor``; also accepted by ``explainer new``."""
    schema_type: str
    """The schema.org type a sheet of this kind is published as, unless it says otherwise."""
    colour: str
    """The kind's colour in graphs and margins (CSS), legible on light and dark backgrounds."""
    dated: bool = False
    """Sheets of this kind carry a ``date`` and appear on the timeline."""


KIND_TABLE: tuple[Kind, ...] = (
    Kind("actors", "Actors", "actor", "Thing", "#3f51b5"),
    Kind("equipment", "Equipment", "equipment", "Product", "#c2185b"),
    Kind("agreements", "Agreements", "agreement", "Thing", "#00796b"),
    Kind("places", "Places", "place", "Place", "#ef6c00"),
    Kind("events", "Events", "event", "Event", "#6d4c41", dated=True),
)
"""Every kind of sheet, in the order the site presents them. Adding a kind: a row here."""

KIND: dict[str, Kind] = {kind.folder: kind for kind in KIND_TABLE}
"""Kinds by folder name."""

KINDS: tuple[str, ...] = tuple(KIND)
"""Kind folder names, in the site's order."""


# Relation types ---------------------------------------------------------

Side = Literal["support", "opposition", "other"]


@dataclass(frozen=True)
class RelationType:
    """A relation type: its label read from each end, and which side of a story it puts the two on."""

    forward: str
    """Read on the subject's sheet: Turkey *backs* the GNA."""
    backward: str
    """Read on the target's sheet: the GNA is *backed by* Turkey."""
    side: Side = "other"
    """``support`` (the two are on one side), ``opposition`` (on opposite sides) or ``other``."""


RELATION_TYPES: dict[str, RelationType] = {
    "backs": RelationType("backs", "backed by", "support"),
    "supplies": RelationType("supplies", "supplied by", "support"),
    "fights-for": RelationType("fights for", "has fighters from", "support"),
    "opposes": RelationType("opposes", "opposed by", "opposition"),
    "attacked": RelationType("attacked", "attacked by", "opposition"),
    "destroyed": RelationType("destroyed", "destroyed by", "opposition"),
    "withdrew-from": RelationType("withdrew from", "withdrawn from by"),
    "signed": RelationType("signed", "signed by"),
    "located-in": RelationType("located in", "location of"),
    "part-of": RelationType("part of", "includes"),
    "leads": RelationType("leads", "led by"),
    "operates": RelationType("operates", "operated by"),
    "built-by": RelationType("built by", "builder of"),
    "recaptured": RelationType("recaptured", "recaptured by"),
    "works-for": RelationType("works for", "employs"),
    "reported": RelationType("reported", "reported by"),
    "recognises": RelationType("recognises", "recognised by"),
    "deployed-to": RelationType("deployed to", "received deployment of"),
    "stronghold-of": RelationType("stronghold of", "holds stronghold"),
    "accompanies": RelationType("accompanies", "accompanied by"),
    "took-part-in": RelationType("took part in", "involved"),
    "claims": RelationType("claims", "claimed by"),
    "flew-to": RelationType("flew to", "destination of"),
    "flew-from": RelationType("flew from", "departure point of"),
    "moved-to": RelationType("moved to", "destination of"),
    "ignores-claims-of": RelationType("ignores the claims of", "claims ignored by", "opposition"),
}
"""Every relation type, by the name a sheet writes. Adding a type: a row here."""


# Event dates ------------------------------------------------------------

DATE_PRECISIONS: dict[str, str] = {
    "day": "a full date: year, month and day",
    "month": "a month and its year, e.g. 'in April 2019'",
    "year": "a year alone",
    "month-without-year": "a month with no year, e.g. 'in November'",
    "weekday": "a day of the week, e.g. 'on Sunday'",
    "relative": "a time relative to the article, e.g. 'in recent weeks'",
    "unstated": "the article gives no time at all",
}
"""How precise an event's time is, with what each means (shown by ``explainer new``)."""

if TYPE_CHECKING:
    RelationTypeName = str
    DatePrecision = str
else:  # the tables above are the one list; pydantic checks values against them
    RelationTypeName = Literal[tuple(RELATION_TYPES)]
    DatePrecision = Literal[tuple(DATE_PRECISIONS)]

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _no_control_characters(text: str) -> str:
    """Refuse invisible control characters (a YAML escape such as "\x07" can put them in text)."""
    found = _CONTROL.search(text)
    if found is not None:
        raise ValueError(f"holds the invisible control character U+{ord(found.group()):04X}: delete it")
    return text


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1),
                 AfterValidator(_no_control_characters)]
MAX_NAME = 200
"""Longest name a sheet or alias may have: a name is drawn in graph boxes and nav, never a paragraph."""
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME),
                 AfterValidator(_no_control_characters)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN.pattern)]
ClaimRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$")]
"""``<sheet slug>/<claim id>``."""

SchemaType = Literal["Person", "Organization", "Place", "Event", "Product", "Thing"]

_EDTF_DATE = r"(?:[0-9]{4}|X{4})(?:-(?:[0-9]{2}|XX)(?:-(?:[0-9]{2}|XX))?)?"
EDTF_PATTERN = rf"^(?:{_EDTF_DATE}|{_EDTF_DATE}/(?:{_EDTF_DATE}|\.\.)|\.\./{_EDTF_DATE})$"
"""An EDTF date with X for unknown digits, or an interval of two (``..`` for an open end)."""


# Every content model is a frozen pydantic dataclass with slots: unknown keys are errors,
# values are frozen, and an instance holds its values in slots. As a pydantic model, each
# instance also held a dictionary of its values and a set of the fields given: at 30,000
# sheets, 246,000 instances and about 70 MB, which each process sharing the rendering copied.
_CONTENT = ConfigDict(extra="forbid")


@pydantic_dataclass(frozen=True, slots=True, kw_only=True, config=_CONTENT)
class Alias:
    """A name the article uses that is taken to mean this entity, by inference."""

    name: Name = Field(description="The name as the article writes it.")
    inference: Text = Field(description="Why the name is taken to mean this entity, when the article "
                            "does not say so itself.")


@pydantic_dataclass(frozen=True, slots=True, kw_only=True, config=_CONTENT)
class Sourced:
    """What claims and relations share: the quote they rest on and who the article says says it."""

    quote: Text = Field(description="The article's exact words it rests on (one passage).")
    article: Slug | None = Field(
        default=None,
        description="Slug of the article quoted; needed only when the words occur in several articles.",
    )
    attribution: Text | None = Field(
        default=None,
        description="Who the article attributes it to, in its terms, e.g. 'the mayor told Reuters'.",
    )
    source: Slug | None = Field(default=None, description="Slug of the sheet of who says it, e.g. "
                                "'salem-alaywan'.")
    via: Slug | None = Field(default=None, description="Slug of the sheet of the outlet it went "
                             "through, e.g. 'reuters'.")
    inference: Text | None = Field(
        default=None,
        description="Set when this goes beyond the quoted words: how it follows from them. "
        "Readers see it marked as an inference.",
    )


@pydantic_dataclass(frozen=True, slots=True, kw_only=True, config=_CONTENT)
class Claim(Sourced):
    """One statement on a sheet, resting on an article's exact words."""

    text: Text = Field(description="The claim, in your words, saying only what the article says.")
    id: Slug | None = Field(default=None, description="A name for the claim, so that another claim "
                            "can say it disputes it, e.g. 'accord-lawful'.")
    disputes: ClaimRef | None = Field(
        default=None,
        description="'<sheet>/<claim id>' of a claim whose account this one contradicts.",
    )


@pydantic_dataclass(frozen=True, slots=True, kw_only=True, config=_CONTENT)
class Relation(Sourced):
    """A typed link from this sheet to another, resting on its own quote."""

    type: RelationTypeName = Field(description="What this sheet does to the target.")
    target: Slug = Field(description="Slug of the target sheet (file name without .yml).")
    role: Text | None = Field(default=None, description="The subject's role in the article's words, "
                              "e.g. 'Greek Foreign Minister'.")


@pydantic_dataclass(frozen=True, slots=True, kw_only=True, config=_CONTENT)
class EventDate:
    """When an event happened, exactly as precise as the article is.

    ``precision: unstated`` says the article gives no time at all; then there are no words to
    quote. The timeline places an event only as far as its words (and its article's date) do.
    """

    as_written: Text | None = Field(
        default=None,
        description="The article's own words for the time, e.g. 'in November'; "
        "leave out when precision is 'unstated'.")
    precision: DatePrecision = Field(description="How precise those words are; 'unstated' when the "
                                     "article gives no time.")
    edtf: str | None = Field(
        default=None,
        pattern=EDTF_PATTERN,
        description="The date in EDTF with X for every digit the article does not give, "
        "e.g. '2019-04' or 'XXXX-11', or an open period such as 'XXXX-11/..' for 'since November'; "
        "leave out for relative times.",
    )
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
        for part in (self.edtf or "").split("/"):
            pieces = part.split("-")
            if len(pieces) == 3 and pieces[1] == "XX" and pieces[2] != "XX":
                raise ValueError(f"edtf '{self.edtf}' gives a day without its month: "
                                 "leave the day out as well, or give the month")
        return self


UNION_TAGS = frozenset({"stated", "inferred"})
"""How an alias is written: the tags pydantic adds to an error's location, which messages leave out."""


def _alias_form(value: object) -> str:
    return "inferred" if isinstance(value, dict) else "stated"


AliasEntry = Annotated[Annotated[Name, Tag("stated")] | Annotated[Alias, Tag("inferred")],
                       Discriminator(_alias_form)]
"""An alias: a name as written, or ``{name, inference}``. Chosen by its form, so a mistake in one
is reported once, as that form's, not as a failure of both."""


@pydantic_dataclass(frozen=True, slots=True, kw_only=True, config=_CONTENT)
class Sheet:
    """A fact sheet: one entity, its sourced claims and its relations."""

    name: Name = Field(description="The entity's name as the site shows it.")
    aliases: list[AliasEntry] = Field(
        default=[], description="Other names the article uses; a name taken to mean the entity only "
        "by inference is written as {name: ..., inference: ...}.")
    summary: Text = Field(description="The lead: at most two sentences, saying only what the claims support.")
    claims: list[Claim] = Field(min_length=1, description="Sourced statements about the entity.")
    relations: list[Relation] = Field(default=[], description="Typed links to other sheets.")
    same_as: list[Annotated[str, StringConstraints(pattern=r"^https://\S+$")]] = Field(
        default=[], description="Pages elsewhere about exactly this entity (https URLs)."
    )
    schema_type: SchemaType | None = Field(
        default=None,
        description="The schema.org type published for the sheet; by default its kind's.",
    )

    @property
    def alias_names(self) -> tuple[str, ...]:
        """Every alias as a name, inferred ones included."""
        return tuple(a if isinstance(a, str) else a.name for a in self.aliases)

    @property
    def stated_aliases(self) -> tuple[str, ...]:
        """The names the article itself uses for the entity."""
        return tuple(a for a in self.aliases if isinstance(a, str))

    @property
    def inferred_aliases(self) -> tuple[Alias, ...]:
        """Names taken to mean the entity by inference, with why."""
        return tuple(a for a in self.aliases if isinstance(a, Alias))


@pydantic_dataclass(frozen=True, slots=True, kw_only=True, config=_CONTENT)
class Story:
    """The home page's story: a few sentences, each resting on an article's words like a claim."""

    sentences: list[Claim] = Field(min_length=1, max_length=8,
                                   description="The story in a few sentences, in order, each with its quote.")


@pydantic_dataclass(frozen=True, slots=True, kw_only=True, config=_CONTENT)
class EventSheet(Sheet):
    """A sheet for an event: a sheet with a date."""

    date: EventDate


def sheet_model(kind: str) -> type[Sheet]:
    """The model a sheet of ``kind`` is validated against."""
    return EventSheet if KIND[kind].dated else Sheet


@dataclass(frozen=True)
class Passage:
    """One paragraph of an article, with its stable id (``p1``, ``p2``...)."""

    id: str
    text: str
    line: int


@dataclass(frozen=True)
class Heading:
    """A subhead of an article: shown as a heading, never a passage (passage numbers skip it)."""

    text: str
    level: int
    before: int
    """Index of the passage it stands before (``len(passages)`` when it ends the article)."""
    line: int


@dataclass(frozen=True)
class Article:
    """An article: its slug (file name), what its front matter records, and its passages in order."""

    slug: str
    title: str
    path: str
    passages: tuple[Passage, ...]
    publisher: str | None = None
    url: str | None = None
    published: datetime.date | None = None
    author: str | None = None
    headings: tuple[Heading, ...] = ()
    digest: str = ""
    """A digest of the article file's text: equal digests, equal articles."""

    @functools.cached_property
    def _by_id(self) -> dict[str, Passage]:
        return {p.id: p for p in self.passages}

    def passage(self, passage_id: str) -> Passage:
        """Return the passage with that id."""
        return self._by_id[passage_id]

    @property
    def label(self) -> str:
        """A short name for citations once a site has several articles: publisher and date, or the title."""
        if self.publisher and self.published:
            return f"{self.publisher}, {format_date(self.published)}"
        if self.publisher:
            return self.publisher
        return self.title if len(self.title) <= 60 else self.title[:57].rsplit(" ", 1)[0] + "…"


def format_date(day: datetime.date) -> str:
    """``25 May 2020``: a date as the site writes it (no leading zero, no locale)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


@dataclass(frozen=True, slots=True)
class LoadedSheet:
    """A validated sheet with where it came from and the line of every value."""

    kind: str
    slug: str
    path: str
    sheet: Sheet
    lines: PackedLines
    digest: str = ""
    """A digest of the sheet file's text: equal digests, equal sheets."""

    def line(self, *loc: str | int) -> int:
        """Line of the value at ``loc``, or of its closest enclosing value."""
        return line_of(self.lines, loc)


def line_of(lines: Lines | PackedLines, loc: Loc) -> int:
    """Line of the value at ``loc`` in a line map, or of its closest enclosing value."""
    if isinstance(lines, PackedLines):
        lines = lines.unpack()
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc, 1)


def _iso_date(value: object) -> object:
    """Dates as YAML reads them (2019-12-01) or as ISO text ("2019-12-01"); nothing else."""
    if isinstance(value, datetime.datetime) or not isinstance(value, (datetime.date, str)):
        raise ValueError("must be a date written as YYYY-MM-DD: write e.g. 2019-12-01")
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValueError(f"'{value[:40]}' is not a date written as YYYY-MM-DD: write e.g. 2019-12-01")
    return value


@pydantic_dataclass(frozen=True, slots=True, kw_only=True, config=_CONTENT)
class ArticleFrontMatter:
    """What an article file records about itself, and nothing the article does not give."""

    title: Text = Field(description="The article's headline.")
    publisher: Text | None = Field(default=None, description="Who published it, e.g. 'Reuters'.")
    url: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] | None = Field(
        default=None, description="Where it was published (an https URL).")
    published: Annotated[datetime.date, BeforeValidator(_iso_date)] | None = Field(
        default=None, description="When it was published, as an ISO 8601 date (YYYY-MM-DD).")
    author: Text | None = Field(default=None, description="Its byline, as printed.")
