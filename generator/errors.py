"""User-facing errors: one class per problem, each formatted as ``path:line: what. What to do.``"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


class ExplainerError(Exception):
    """Root of every error the explainer raises on purpose."""

    exit_code = 1

    def format_message(self) -> str:
        """Return the text shown to the user."""
        return str(self)

    def __reduce__(self) -> tuple[object, ...]:
        # Sent from the process that ran the core (see generator.parallel.apart): rebuilt as it
        # was, attributes and all, whatever its subclass's __init__ takes.
        return _rebuilt, (type(self), self.args, self.__dict__)


def _rebuilt(kind: type[ExplainerError], args: tuple[object, ...],
             state: dict[str, object]) -> ExplainerError:
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(state)
    return error


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located at ``path:line``.

    ``problem`` says what is wrong, ``fix`` what to do; ``details`` are extra
    lines (such as the closest passage) printed between the two.
    """

    path: str
    line: int
    problem: str
    fix: str = ""
    details: tuple[str, ...] = field(default=())

    @property
    def where(self) -> str:
        """``path:line``, the prefix every message starts with."""
        path = printable(self.path)
        if path.startswith(":"):
            path = "./" + path  # no line of output may start with '::' (GitHub Actions obeys it)
        return f"{path}:{self.line}" if self.line else path

    def body(self) -> str:
        """What is wrong, the details and what to do: the message without ``path:line``.

        Text from content is shown with control and invisible characters escaped, so a key
        holding a newline cannot start a line of its own, nor an escape code reach a terminal.
        """
        head = _sentence(printable(self.problem))
        fix = _sentence(printable(self.fix))
        if not self.details:
            return f"{head} {fix}".rstrip()
        lines = [head, *(f"  {printable(d)}" for d in self.details)]
        if self.fix:
            lines.append(f"  {fix}")
        return "\n".join(lines)

    def format(self) -> str:
        """``path:line: what is wrong. What to do.``, with details on indented lines."""
        return f"{self.where}: {self.body()}"

    def github(self) -> str:
        """As a GitHub Actions annotation, so the problem shows on the pull request's diff line."""
        props = f"file={_escape_property(self.path)}"
        if self.line:
            props += f",line={self.line}"
        return f"::error {props},title=explainer check::{_escape_data(self.body())}"


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                          r"\u2060-\u206f\ufeff\ufff9-\ufffb]")


def printable(text: str) -> str:
    """``text`` with control and invisible characters written as escapes (``\\n``, ``\\u202e``)."""
    def escape(match: re.Match[str]) -> str:
        char = match.group()
        named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
        if named:
            return named
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    return _UNPRINTABLE.sub(escape, text) if not text.isprintable() or "\u00ad" in text else text


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _sentence(text: str) -> str:
    text = text.strip()
    if text and text[-1] not in ".?!":
        text += "."
    return text


class ContentErrors(ExplainerError):
    """Every problem found in one run, sorted by file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(self.format_message())

    def format_message(self, outcome: str = "nothing was written") -> str:
        """All problems, then a count and what became of the build."""
        count = len(self.problems)
        noun = "error" if count == 1 else "errors"
        body = "\n".join(p.format() for p in self.problems)
        return f"{body}\n{count} {noun}; {outcome}."


class UsageError(ExplainerError):
    """The command line itself is wrong."""

    exit_code = 2
