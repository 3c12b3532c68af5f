"""Finding and reading content files: only regular files, only inside the project, bounded.

Content is whatever a pull request puts under ``content/``, so nothing here trusts it: a
symbolic link is followed only to a regular file or folder inside the project (and its
target is never named), special files (FIFOs, devices) are never opened, a file is read
only up to :data:`MAX_BYTES`, and a folder outside the project is never listed.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Problem

MAX_BYTES = 5 * 1024 * 1024
"""The largest content file read: a sheet is a few KB and an article rarely 100 KB."""

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters (Unicode category Cc) other than tab and newline."""


@dataclass(frozen=True)
class Entry:
    """A file or folder found in a content folder, already vetted (see :func:`entries`)."""

    path: Path
    """Where it is, inside the project (symbolic links resolved)."""
    rel: str
    """Its path as found, relative to the project: what messages name."""
    name: str
    is_dir: bool


def rel_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` in POSIX form, or as given when it is not under it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every symbolic link resolved, is ``root`` or within it."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def entries(folder: Path, root: Path, problems: list[Problem]) -> list[Entry]:
    """The regular files and folders in ``folder`` that may be content, sorted by name.

    Hidden names are skipped. Anything else that is not a regular file or a folder inside the
    project is reported in ``problems`` and left out.
    """
    found: list[Entry] = []
    folder_rel = rel_path(folder, root)
    try:
        with os.scandir(folder) as listing:
            items = sorted(listing, key=lambda item: item.name)
    except OSError as exc:
        problems.append(Problem(folder_rel, 0, f"the folder cannot be read ({exc.strerror})",
                                "Check its permissions"))
        return found
    # os.scandir knows each entry's type without a system call, and the relative path is the
    # folder's plus the name: at 30,000 sheets, pathlib's per-file work was 0.9 s of every save.
    for item in items:
        name = item.name
        if name.startswith("."):
            continue
        path = folder / name
        rel = name if folder_rel == "." else f"{folder_rel}/{name}"
        try:
            if item.is_dir(follow_symlinks=False):
                found.append(Entry(path, rel, name, True))
                continue
            if item.is_file(follow_symlinks=False):
                found.append(Entry(path, rel, name, False))
                continue
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                if not inside(path, root):
                    problems.append(Problem(rel, 0, "a symbolic link to something outside the project",
                                            "Content must live in the repository: copy the file in "
                                            "instead of linking to it"))
                    continue
                path = path.resolve()
                info = path.stat()
        except FileNotFoundError:
            problems.append(Problem(rel, 0, "a symbolic link to nothing (its target does not exist)",
                                    "Remove the link, or restore what it pointed to"))
            continue
        except (OSError, RuntimeError) as exc:
            problems.append(Problem(rel, 0, f"cannot be read ({getattr(exc, 'strerror', None) or exc})",
                                    "Check the file and its permissions"))
            continue
        if stat.S_ISDIR(info.st_mode):
            found.append(Entry(path, rel, name, True))
        elif stat.S_ISREG(info.st_mode):
            found.append(Entry(path, rel, name, False))
        else:
            problems.append(Problem(rel, 0, "not a regular file (a FIFO, socket or device)",
                                    "Content files are ordinary text files: remove it"))
    return found


def read_text(entry: Entry, problems: list[Problem]) -> str | None:
    """The text of a content file, or None with the reason added to ``problems``.

    UTF-8 only; a byte-order mark is dropped and Windows (CRLF) and old Mac (CR) line ends
    become plain newlines, so every later line number counts as an editor does.
    """
    data = read_bytes(entry, problems)
    return None if data is None else decode(entry, data, problems)


def read_bytes(entry: Entry, problems: list[Problem]) -> bytes | None:
    """The bytes of a content file (a regular file, at most :data:`MAX_BYTES`), or None with the reason."""
    try:
        fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        problems.append(Problem(entry.rel, 0, f"cannot be read ({exc.strerror})",
                                "Check the file and its permissions"))
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            problems.append(Problem(entry.rel, 0, "not a regular file",
                                    "Content files are ordinary text files: remove it"))
            return None
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        problems.append(Problem(entry.rel, 0, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB",
                                "Split it, or check that it is the file you meant"))
        return None
    return data


def decode(entry: Entry, data: bytes, problems: list[Problem]) -> str | None:
    """A content file's bytes as text (see :func:`read_text`), or None with the reason."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(entry.rel, line, f"the file is not UTF-8 (byte 0x{data[exc.start]:02x})",
                                "Save it as UTF-8"))
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        problems.append(Problem(entry.rel, 1, "the file is empty", "Fill it in, or delete it"))
        return None
    found = _CONTROL.search(text)
    if found is not None:
        control = found.start()
        line = text.count("\n", 0, control) + 1
        char = text[control]
        problems.append(Problem(entry.rel, line, f"line {line} holds the invisible control character "
                                f"{describe_char(char)}", "Delete it (editors often show it as a box or "
                                "not at all)"))
        return None
    return text


def describe_char(char: str) -> str:
    """``U+0007 (BELL)``: a character named so a reader can find it."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


_CONTROL_NAMES = {"\x00": "NULL", "\x07": "BELL", "\x08": "BACKSPACE", "\x0b": "LINE TABULATION",
                  "\x0c": "FORM FEED", "\x1b": "ESCAPE", "\x7f": "DELETE"}
