"""What the node-driven tests need: the executable, a folder's node_modules, chromium.

Missing pieces skip the test on a developer's machine and fail it with ``CI=true``, so that
CI cannot pass without having run the browser and build checks (``make test`` installs the
node side with ``npm ci`` in console/, examples/cross-origin and clients/typescript).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

__all__ = ["CHROMIUM", "CONSOLE", "REPO", "require_node"]

REPO = Path(__file__).resolve().parents[1]
CONSOLE = REPO / "console"
CHROMIUM = os.environ.get("GRAPHSVC_TEST_CHROMIUM", "/usr/bin/chromium")


def require_node(folder: Path = CONSOLE, *, browser: bool = False) -> str:
    """The node executable, with ``folder``'s packages installed (and chromium when
    ``browser``); skips when something is missing, fails instead with ``CI=true``."""
    node = shutil.which("node")
    needs = [
        ("node on PATH", node is not None),
        (
            f"{folder.relative_to(REPO)}/node_modules (run make test)",
            (folder / "node_modules").is_dir(),
        ),
    ]
    if browser:
        needs.append((f"chromium at {CHROMIUM}", os.access(CHROMIUM, os.X_OK)))
    missing = [what for what, present in needs if not present]
    if missing:
        message = "this test needs " + ", ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    assert node is not None
    return node
