"""User-facing errors: one class per problem, each formatted as ``path:line: what. What to do.``"""

from __future__ import annotations

from dataclasses import dataclass, field


class ExplainerError(Exception):
    """Root of every error the explainer raises on purpose."""

    exit_code = 1

    def format_message(self) -> str:
        """Return the text shown to the user."""
        return str(self)


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
        return f"{self.path}:{self.line}" if self.line else self.path

    def body(self) -> str:
        """What is wrong, the details and what to do: the message without ``path:line``."""
        head = _sentence(self.problem)
        if not self.details:
            return f"{head} {_sentence(self.fix)}".rstrip()
        lines = [head, *(f"  {d}" for d in self.details)]
        if self.fix:
            lines.append(f"  {_sentence(self.fix)}")
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
