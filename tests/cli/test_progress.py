"""Progress on stderr: bars on a terminal, and rich loaded only then.

A scripted ``graphsvc import`` (stderr not a terminal) draws nothing, so it does not pay for
importing rich (~25 ms of every run, issue 14 item 3's start-up); a person at a terminal
still gets the bars.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graphsvc.cli.progress import Reporter
from tests.processes import cli_env


def test_a_scripted_import_does_not_load_rich(tmp_path: Path) -> None:
    # given a small document, when it is imported with stderr piped (no terminal)
    document = tmp_path / "g.json"
    document.write_text(
        '{"format": "graphsvc/v1", "organizations": [{"id": "o", "name": "O", "kind": "SELF"}]}'
    )
    script = (
        "import sys\n"
        "from graphsvc.cli.app import main\n"
        "try:\n"
        f"    main(['import', {str(document)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('rich' in sys.modules, 'rich.progress' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=cli_env(tmp_path / "g.db"),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    # then it imported the document, and rich was never imported
    assert "imported" in done.stderr, done.stderr
    assert done.stdout.split() == ["False", "False"]


def test_bars_are_drawn_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    # given a reporter told that a person watches, when stages report progress
    with Reporter(enabled=True) as progress:
        progress("read", 0, 2)
        progress("read", 2, 2)
        progress("apply", 5, 0)

    # then rich drew its bars (and took them away: transient), and nothing went to stdout
    assert "rich.progress" in sys.modules
    assert capsys.readouterr().out == ""
