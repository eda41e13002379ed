"""graphsvc as an installed package has it: its bytecode compiled beforehand.

This box sets ``PYTHONDONTWRITEBYTECODE=1``, so a process run from the source tree compiles
every graphsvc module it imports from source at every start (~130 modules and ~0.1 s for
``graphsvc import``, ~0.15-0.2 s of CPU for ``serve``), while a bare baseline's libraries
come precompiled from the venv, as ``pip install`` leaves every package, graphsvc included.
Benchmarks of whole processes offer ``--compiled`` to measure what a user runs.
"""

from __future__ import annotations

import compileall
import shutil
from pathlib import Path

__all__ = ["compiled_copy"]


def compiled_copy(package: Path, into: Path) -> str:
    """A copy of the ``graphsvc`` package folder with its bytecode compiled; the PYTHONPATH
    to run it from (a process must not start in a folder holding another ``graphsvc``)."""
    shutil.copytree(package, into / "graphsvc", ignore=shutil.ignore_patterns("__pycache__"))
    if not compileall.compile_dir(into / "graphsvc", quiet=1):
        raise SystemExit(f"compiling {into} failed")
    return str(into)
