"""Event times: what the article's words give, what they leave out, and what its date adds.

An event's date is the article's own words (``as_written``) with an EDTF value holding only
the digits those words give. When the quoted article records when it was published, words
relative to that day ("in November", "on Sunday", "over the weekend") can be placed on the
calendar: the placement is derived from the article's date, and always shown as such, never
as the article's words.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Literal

from generator.model import EventDate, format_date

Lane = Literal["dated", "anchored", "vague", "unstated"]
LANES: dict[Lane, str] = {
    "dated": "Dated by the article",
    "anchored": "Placed from the article's date",
    "vague": "Without a year, or relative to an unknown day",
    "unstated": "No time given",
}
"""The timeline's lanes, by what the article gives, in the order the page shows them."""

LANE_ORDER: dict[Lane, tuple[str, bool]] = {
    "dated": ("Latest first, by the dates the articles give; an event comes before another only when "
              "its date ends before the other's begins.", True),
    "anchored": ("Latest first, by dates placed from each article's own date (derived, not the "
                 "articles' words).", True),
    "vague": ("The articles give no date for these, so no order in time is shown: they are listed "
              "alphabetically.", False),
    "unstated": ("The articles give no time for these: listed alphabetically.", False),
}
"""How each lane is ordered, and whether its order is an order in time."""

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Placement:
    """Where an event's time falls, from its words and, if it has one, the article's date."""

    words: str | None
    """The article's words for the time, or None when it gives none."""
    lane: Lane
    gap: str
    """What the words leave out, in plain words: ``November, no year given``."""
    start: str | None
    """The ISO 8601 start exactly as precise as the words (``2019-04``), for schema.org and sorting."""
    derived: str | None = None
    """The placement derived from the article's date, in words: ``November 2019``."""
    derived_start: str | None = None
    """That placement's ISO 8601 start (``2019-11``)."""
    published: datetime.date | None = None
    """The article's date the placement was derived from."""

    @property
    def sort_start(self) -> str | None:
        """The earliest ISO date the placement allows, for ordering on a time axis."""
        return self.start or self.derived_start


def place(date: EventDate, published: datetime.date | None) -> Placement:
    """Place ``date`` (an event's) using ``published``, the date of the article it quotes, if known."""
    words = date.as_written
    if date.precision == "unstated" or words is None:
        return Placement(None, "unstated", "The article gives no time", None)
    edtf = date.edtf or ""
    first, _, last = edtf.partition("/")
    since = last == ".."
    start = iso_start(first)
    if start is not None:
        return Placement(words, "dated", _gap(first, since), start)
    gap = _gap(first, since) if first else _relative_gap(date.precision, words)
    derived = _anchor(date.precision, first, words, published) if published else None
    if derived is None:
        return Placement(words, "vague", gap, None)
    label, derived_start = derived
    if since:
        label = f"since {label}, up to the article's date ({format_date(published)})" if published else label
    return Placement(words, "anchored", gap, None, label, derived_start, published)


def iso_start(edtf: str) -> str | None:
    """The ISO 8601 date an EDTF date gives, exactly as precise (``2019-04``), or None without a year."""
    parts = edtf.split("-") if edtf else []
    if not parts or not parts[0].isdigit():
        return None
    known = [parts[0]]
    for part in parts[1:]:
        if not part.isdigit():
            break
        known.append(part)
    return "-".join(known)


def _gap(edtf: str, since: bool) -> str:
    """What an EDTF date's X digits leave out, in words."""
    parts = edtf.split("-")
    year = parts[0] if parts and parts[0].isdigit() else None
    month = MONTHS[int(parts[1]) - 1] if len(parts) > 1 and parts[1].isdigit() else None
    day = str(int(parts[2])) if len(parts) > 2 and parts[2].isdigit() else None
    prefix = "since " if since else ""
    if year and month and day:
        return f"{prefix}{day} {month} {year}" + (", an open period" if since else "")
    if year and month:
        return f"{prefix}{month} {year}, no day given"
    if year:
        return f"{prefix}{year}, no month or day given"
    if month:
        return f"{prefix}{day + ' ' if day else ''}{month}, no year given"
    return "no date given"


def _relative_gap(precision: str, words: str) -> str:
    if precision == "weekday":
        return "a day of the week, no date given"
    if precision == "month-without-year":
        return "a month, no year given"
    return "relative to the day the article was written"


def _anchor(precision: str, edtf: str, words: str, published: datetime.date) -> tuple[str, str] | None:
    """(words, ISO start) of the placement that ``published`` gives relative words, if any."""
    parts = edtf.split("-") if edtf else []
    if len(parts) > 1 and parts[1].isdigit():  # a month without its year: the latest one up to then
        month = int(parts[1])
        year = published.year if month <= published.month else published.year - 1
        return f"{MONTHS[month - 1]} {year}", f"{year:04d}-{month:02d}"
    weekday = next((n for n, name in enumerate(WEEKDAYS) if re.search(rf"\b{name}\b", words, re.I)), None)
    if precision == "weekday" and weekday is not None:
        day = published - datetime.timedelta(days=(published.weekday() - weekday) % 7)
        return f"{WEEKDAYS[weekday]} {format_date(day)}", day.isoformat()
    if re.search(r"\bweekend\b", words, re.I):
        sunday = published - datetime.timedelta(days=(published.weekday() - 6) % 7)
        saturday = sunday - datetime.timedelta(days=1)
        return f"the weekend of {format_date(saturday)}", saturday.isoformat()
    if precision == "relative":
        return f"before {format_date(published)}", published.isoformat()
    return None


def period(start: str) -> tuple[str, str]:
    """The first and last day an ISO date as precise as its words allows (``2019-04``: April 2019)."""
    if not start:
        return ("", "")
    parts = start.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return (f"{year:04d}-01-01", f"{year:04d}-12-31")
    month = int(parts[1])
    if len(parts) == 2:
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        return (f"{year:04d}-{month:02d}-01", (following - datetime.timedelta(days=1)).isoformat())
    return (start, start)


@dataclass(frozen=True)
class AxisStop:
    """A point on the timeline's axis: an event, where its period starts, as a share of the axis."""

    slug: str
    name: str
    at: float
    label: str


@dataclass(frozen=True)
class Axis:
    """A time axis over the events placed in time: their stops and a tick at each year."""

    stops: tuple[AxisStop, ...]
    ticks: tuple[tuple[float, str], ...]


def timeline_axis(events: list[tuple[str, str, str]]) -> Axis | None:
    """An axis for (slug, ISO start, name) events; None with fewer than two distinct times."""
    placed = [(slug, period(start), name) for slug, start, name in events if start]
    if len({p[0] for _, p, _ in placed}) < 2:
        return None
    first = min(datetime.date.fromisoformat(p[0]) for _, p, _ in placed)
    last = max(datetime.date.fromisoformat(p[1]) for _, p, _ in placed)
    span = max(1, (last - first).days)

    def share(day: datetime.date) -> float:
        return round((day - first).days / span, 4)

    stops = tuple(AxisStop(slug, name, share(datetime.date.fromisoformat(p[0])), _label(start))
                  for (slug, p, name), (_, start, _) in zip(placed, [e for e in events if e[1]], strict=True))
    ticks = tuple((share(datetime.date(year, 1, 1)), str(year)) for year in range(first.year, last.year + 1)
                  if datetime.date(year, 1, 1) >= first)
    return Axis(stops, ticks or ((0.0, str(first.year)),))


def _label(start: str) -> str:
    parts = start.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"
