"""Two builds of the same content are byte-identical."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import make_project


def _build(root: Path, hash_seed: str) -> dict[str, bytes]:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", PYTHONHASHSEED=hash_seed,
               NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site"],
                   cwd=root, env=env, check=True, capture_output=True)
    return {p.relative_to(root / "site").as_posix(): p.read_bytes()
            for p in sorted((root / "site").rglob("*")) if p.is_file()}


def test_two_builds_in_different_folders_and_hash_seeds_are_identical(tmp_path: Path) -> None:
    first = make_project(tmp_path / "one", seed=True).root
    second = tmp_path / "elsewhere" / "two"
    shutil.copytree(first, second)
    a = _build(first, "1")
    b = _build(second, "2")
    assert sorted(a) == sorted(b)
    assert len(a) > 20
    differing = [name for name in a if a[name] != b[name]]
    assert differing == []
