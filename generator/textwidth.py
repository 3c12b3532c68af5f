"""Conservative widths of sans-serif text, so boxes reserved before drawing fit the drawn text.

The graph's boxes are sized in Python, before any browser sees the text, so the
estimate must not fall short whatever sans-serif font the reader's browser picks.
The table holds, for each printable ASCII character, the larger advance width of
Liberation Sans (metric-compatible with Arial and Helvetica) and DejaVu Sans (the
widest common sans-serif, metric-compatible with Bitstream Vera, close to Verdana),
in thousandths of an em, as measured by Chromium's canvas ``measureText`` at
1,000 px. Other characters take the width of their base letter (``é`` as ``e``)
or, failing that, a full em.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_FIRST = 32
_REGULAR = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 556, 1015, 684, 686, 722, 770, 667, 611, 778,
    752, 295, 500, 667, 557, 863, 748, 787, 667, 787, 722, 667, 611, 732, 684, 989, 685, 667, 685, 390,
    337, 390, 838, 556, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)  # fmt: skip
_BOLD = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 611, 1000, 774, 762, 734, 830, 683, 683, 821,
    837, 372, 556, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457,
    365, 457, 838, 556, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687,
    716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
)  # fmt: skip
_SUBSTITUTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "M",
                "\u00a0": " ", "\u2026": "M"}


@lru_cache(maxsize=4096)
def _units(char: str, bold: bool) -> int:
    table = _BOLD if bold else _REGULAR
    char = _SUBSTITUTES.get(char, char)
    if not _FIRST <= ord(char) < _FIRST + len(table):
        base = unicodedata.normalize("NFD", char)[:1]
        if not base or not _FIRST <= ord(base) < _FIRST + len(table):
            return 1000
        char = base
    return table[ord(char) - _FIRST]


def text_width(text: str, font_size: float, *, bold: bool = False) -> float:
    """Return the width in px of ``text`` at ``font_size`` px: at least what a browser draws."""
    return sum(_units(char, bold) for char in text) * font_size / 1000


@lru_cache(maxsize=16384)
def wrap(text: str, max_width: float, font_size: float, *, bold: bool = False) -> tuple[str, ...]:
    """Break ``text`` into lines no wider than ``max_width`` px; nothing is cut.

    Lines break at spaces; a word wider than ``max_width`` breaks after its hyphens
    and, if a part is still too wide, between letters. The lines are balanced: as few
    as greedy filling gives, then as narrow as they can be (``Government of`` /
    ``National Accord`` rather than ``Government of National`` / ``Accord``).
    """
    tokens = _tokens(text, max_width, font_size, bold)
    lines = _greedy(tokens, max_width, font_size, bold)
    if len(lines) < 2:
        return lines
    low = max(text_width(token, font_size, bold=bold) for token, _ in tokens)
    high = max(text_width(line, font_size, bold=bold) for line in lines)
    for _ in range(10):
        middle = (low + high) / 2
        if len(_greedy(tokens, middle, font_size, bold)) <= len(lines):
            high = middle
        else:
            low = middle
    return _greedy(tokens, high, font_size, bold)


def _tokens(text: str, max_width: float, font_size: float, bold: bool) -> list[tuple[str, bool]]:
    """The pieces a line may break between, each with whether a space comes before it."""
    tokens: list[tuple[str, bool]] = []
    for word in text.split():
        if text_width(word, font_size, bold=bold) <= max_width:
            tokens.append((word, True))
            continue
        parts = [part for part in word.replace("-", "-\n").split("\n") if part]
        pieces: list[str] = []
        for part in parts:
            while text_width(part, font_size, bold=bold) > max_width and len(part) > 1:
                cut = 1
                while cut < len(part) - 1 and text_width(part[:cut + 1], font_size, bold=bold) <= max_width:
                    cut += 1
                pieces.append(part[:cut])
                part = part[cut:]
            pieces.append(part)
        tokens += [(piece, i == 0) for i, piece in enumerate(pieces)]
    return tokens


def _greedy(tokens: list[tuple[str, bool]], max_width: float, font_size: float,
            bold: bool) -> tuple[str, ...]:
    lines: list[str] = []
    current = ""
    for token, spaced in tokens:
        candidate = (f"{current} {token}" if spaced else current + token) if current else token
        if current and text_width(candidate, font_size, bold=bold) > max_width:
            lines.append(current)
            current = token
        else:
            current = candidate
    if current:
        lines.append(current)
    return tuple(lines) or ("",)
