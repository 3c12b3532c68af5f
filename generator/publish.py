"""Build the site beside the published one, then swap it in whole.

``mkdocs build`` empties the site folder before it writes the new one, so a build that is
killed (or runs out of disk) half-way leaves half a site where the last good one was. Here
MkDocs builds into a fresh sibling folder; only a finished build replaces the site, in one
``renameat2(RENAME_EXCHANGE)`` where Linux offers it (readers see the old site or the new
one, never neither), else in two renames. MkDocs runs as a separate process: the core
still never imports it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

STAGING_PREFIX = ".site-new-"
"""Name prefix of the folders builds are made in (next to the site, so renames stay on one disk)."""


def build(root: Path, site: Path, extra: list[str] | None = None) -> int:
    """Build the project at ``root`` into ``site`` atomically; return MkDocs' exit code."""
    site = site if site.is_absolute() else root / site
    _remove_stale(site.parent)
    staging = site.parent / f"{STAGING_PREFIX}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(staging), *(extra or [])]
    code = subprocess.run(command, cwd=root, env=env, check=False).returncode
    if code != 0:
        shutil.rmtree(staging, ignore_errors=True)
        return code
    swap(staging, site)
    shutil.rmtree(staging, ignore_errors=True)  # now the old site, if there was one
    return 0


def swap(new: Path, site: Path) -> None:
    """Put folder ``new`` in place of ``site``; afterwards ``new`` holds the old site, if any."""
    if not site.exists():
        os.rename(new, site)
        return
    if not _exchange(new, site):
        old = new.with_name(new.name + "-old")
        os.rename(site, old)
        os.rename(new, site)
        os.rename(old, new)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _remove_stale(folder: Path) -> None:
    """Remove staging folders left by builds that were killed (their process is gone)."""
    for stale in folder.glob(f"{STAGING_PREFIX}*"):
        pid = stale.name.removeprefix(STAGING_PREFIX).removesuffix("-old")
        if pid.isdigit() and int(pid) != os.getpid() and _running(int(pid)):
            continue
        shutil.rmtree(stale, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
