"""A real ``mkdocs build --strict`` run in this process, as the command line runs it.

For tests that patch the generator (fork counts, faults) and for ``benchmarks/profile.py``,
which profiles the build; everything else builds in a subprocess.
"""

from __future__ import annotations

from pathlib import Path


def build_in_process(root: Path, site: Path) -> None:
    """Build the project at ``root`` into ``site`` with MkDocs' own build function."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
