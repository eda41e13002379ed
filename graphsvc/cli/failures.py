"""How the command line fails: one line on stderr and a documented exit code, never a traceback
for something the user can fix.

Exit codes:

- ``0`` success;
- ``1`` the store cannot be used (unreachable, schema missing, a conflict with stored data),
  or the server cannot listen (the port is in use, needs privileges, a foreign host);
- ``2`` the input is wrong: a usage error, a ``GRAPHSVC_*`` variable out of range or of the
  wrong type (named, with its value; a secret's value is not repeated), an unreadable file,
  invalid JSON, a document breaking a rule of CONTRACT §3, an out-of-range argument, an
  unsupported store URL; a document with several problems lists each on a line of its own
  (up to ``SHOWN_ISSUES``, then how many more);
- ``130`` interrupted (Ctrl-C), at any time: while the command loads its modules, runs, or
  reports a failure.

When stdout is closed early (``graphsvc export | head``) typer exits 1 quietly.
"""

from __future__ import annotations

import signal
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

from graphsvc.cli.ports import ListenProblem
from graphsvc.errors import ErrorCode, GraphsvcError, InvalidDocument

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "EXIT_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_STORE",
    "SHOWN_ISSUES",
    "Failure",
    "FileProblem",
    "describe",
    "exit_interrupted",
]

EXIT_STORE = 1
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130

SHOWN_ISSUES = 50
"""Problems of a document printed one per line; the rest are counted."""

_INPUT_CODES = frozenset({ErrorCode.INVALID, ErrorCode.NOT_FOUND, ErrorCode.LIMIT_EXCEEDED})


def exit_interrupted() -> NoReturn:
    """Exit 130 at once and quietly; a second Ctrl-C while exiting is ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(EXIT_INTERRUPTED)


@dataclass(frozen=True)
class Failure:
    """What to tell the user and how to exit."""

    message: str
    exit_code: int


class FileProblem(Exception):
    """A file named on the command line cannot be read or written."""

    def __init__(self, path: str, error: OSError) -> None:
        reason = error.strerror or str(error)
        super().__init__(f"cannot read {path}: {reason}")


def describe(error: BaseException) -> Failure | None:
    """The failure to report for an expected error, or ``None`` for a bug (let it raise)."""
    if isinstance(error, InvalidDocument) and len(error.issues) > 1:
        return Failure(_problems(error), EXIT_INPUT)
    if isinstance(error, GraphsvcError):
        code = EXIT_INPUT if error.code in _INPUT_CODES else EXIT_STORE
        return Failure(error.message, code)
    if isinstance(error, FileProblem):
        return Failure(str(error), EXIT_INPUT)
    # Imported here, not above: this module loads before Ctrl-C is handled (exit 130), and
    # pydantic takes a while to import on a loaded machine.
    import pydantic

    if isinstance(error, pydantic.ValidationError) and error.title == "Settings":
        return Failure(_settings_problems(error), EXIT_INPUT)
    if isinstance(error, ListenProblem):
        return Failure(str(error), EXIT_STORE)
    if isinstance(error, OSError) and error.filename is not None:
        return Failure(f"{error.filename}: {error.strerror or error}", EXIT_INPUT)
    return None


def _settings_problems(error: ValidationError) -> str:
    """Which ``GRAPHSVC_*`` variables are wrong, with their values and what they should be."""
    problems = []
    for problem in error.errors():
        name = "_".join(str(part) for part in problem["loc"]).upper()
        shown = "" if "password" in name.lower() else f"={problem.get('input')!r}"
        problems.append(f"GRAPHSVC_{name}{shown}: {problem['msg'].lower()}")
    return "; ".join(problems)


def _problems(error: InvalidDocument) -> str:
    """Every problem of a document, one per line under a line that counts them."""
    issues = error.issues
    lines = [f"{len(issues)} problems in the document; nothing was changed:"]
    lines += [f"  {issue}" for issue in issues[:SHOWN_ISSUES]]
    if len(issues) > SHOWN_ISSUES:
        lines.append(f"  … and {len(issues) - SHOWN_ISSUES} more problems")
    return "\n".join(lines)
