"""import, export, generate and schema through the real command line.

Stdout carries only data; a user mistake is one ``error:`` line on stderr, a non-zero exit
and no traceback, and leaves the store as it was.
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest

from graphsvc.api.graphql.schema import sdl
from graphsvc.domain.validation import validate_document
from graphsvc.services.parsing import parse_document
from tests.cli.conftest import REPO, Cli


def error_line(stderr: bytes) -> str:
    """The one line a failed command prints (and it must be exactly one, without a trace)."""
    text = stderr.decode()
    assert "Traceback" not in text
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert lines[0].startswith("error: "), text
    return lines[0]


@pytest.fixture
def generated(cli: Cli) -> Path:
    path = cli.cwd / "generated.json"
    path.write_bytes(cli.ok("generate", "--people", "300", "--seed", "9").stdout)
    return path


def test_generate_is_deterministic_and_valid(cli: Cli) -> None:
    # given two runs with the same seed / when generating
    first = cli.ok("generate", "--people", "250", "--seed", "3").stdout
    second = cli.ok("generate", "--people", "250", "--seed", "3").stdout
    # then the bytes are identical and the real parser and validator accept them
    assert first == second
    assert validate_document(parse_document(first)) == []
    assert cli.ok("generate", "--people", "250", "--seed", "4").stdout != first


def test_generate_summarises_on_stderr_only(cli: Cli) -> None:
    done = cli.ok("generate", "--people", "100", "--locale", "en")
    assert orjson.loads(done.stdout)["format"] == "graphsvc/v1"
    assert done.stderr.decode().startswith("generated ")


def test_export_import_export_round_trip_keeps_japanese_text(cli: Cli, generated: Path) -> None:
    # given a generated document imported into the default workspace
    cli.ok("import", str(generated))
    first = cli.ok("export").stdout
    # when its export is imported into an empty workspace and exported again
    (cli.cwd / "first.json").write_bytes(first)
    cli.ok("import", "first.json", "--workspace", "copy")
    second = cli.ok("--workspace", "copy", "export").stdout
    # then the two exports are the same text, with Japanese written as is
    assert second == first
    assert "ホールディングス" in first.decode("utf-8")
    assert b"\\u" not in first


def test_importing_twice_changes_nothing(cli: Cli, generated: Path) -> None:
    cli.ok("import", str(generated))
    before = cli.ok("export").stdout
    again = cli.ok("import", str(generated))
    assert again.stderr.decode().startswith("nothing to change")
    assert "version 1" in again.stderr.decode()
    assert cli.ok("export").stdout == before


def test_import_reads_stdin_for_a_dash(cli: Cli, generated: Path) -> None:
    done = cli.ok("import", "-", input=generated.read_bytes())
    assert done.stderr.decode().startswith("imported <stdin> into workspace 'default': ")
    assert b'"org1-ceo"' in cli.ok("export").stdout


def test_a_broken_rule_is_refused_naming_the_record_and_nothing_changes(
    cli: Cli, generated: Path
) -> None:
    # given a store holding a document, and a copy where one person's department is unknown
    cli.ok("import", str(generated))
    before = cli.ok("export").stdout
    document = orjson.loads(generated.read_bytes())
    document["people"][42]["name"] = "変更 された"
    document["people"][42]["departmentId"] = "no-such-dept"
    bad = cli.cwd / "bad.json"
    bad.write_bytes(orjson.dumps(document))
    person = document["people"][42]["id"]
    # when it is imported
    done = cli.run("import", str(bad))
    # then one line names the record and the problem, the exit is 2, the store unchanged
    assert done.returncode == 2
    line = error_line(done.stderr)
    assert line.startswith("error: people[42]")
    assert f"({person})" in line
    assert "no-such-dept" in line
    assert cli.ok("export").stdout == before


def test_a_missing_file_is_one_line(cli: Cli) -> None:
    done = cli.run("import", "nope.json")
    assert done.returncode == 2
    assert error_line(done.stderr) == "error: cannot read nope.json: No such file or directory"


def test_invalid_json_is_one_line(cli: Cli) -> None:
    (cli.cwd / "broken.json").write_text('{"format": "graphsvc/v1", "people": [', "utf-8")
    done = cli.run("import", "broken.json")
    assert done.returncode == 2
    assert error_line(done.stderr).startswith("error: broken.json: not valid JSON: ")


@pytest.mark.parametrize("text", [b"", b'{"format": "graphsvc/v1", "people": ['])
def test_invalid_json_on_stdin_names_stdin(cli: Cli, text: bytes) -> None:
    done = cli.run("import", "-", input=text)
    assert done.returncode == 2
    assert error_line(done.stderr).startswith("error: <stdin>: not valid JSON: ")


SUMMARY = re.compile(
    r"imported (?P<source>\S+) into workspace 'default': (?P<what>.+) in [0-9.]+ s "
    r"\([0-9,]+ records/s; version (?P<version>\d+)\)"
)


def _summary(stderr: bytes) -> re.Match[str]:
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    found = SUMMARY.fullmatch(lines[0])
    assert found, lines[0]
    return found


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def test_the_import_summary_is_one_line_whose_counts_add_up(cli: Cli, generated: Path) -> None:
    # given a generated document, some of whose people have a reportsToId
    document = orjson.loads(generated.read_bytes())
    lines = sum(1 for p in document["people"] if p.get("reportsToId"))
    records = sum(len(v) for v in document.values() if isinstance(v, list))
    assert lines > 0
    # when it is imported into an empty workspace
    found = _summary(cli.ok("import", str(generated)).stderr)
    # then the line counts every record once, a reportsToId as the REPORTS_TO line it is,
    # and the parts add up to the total
    what = found["what"]
    total, _, parts = what.partition(" records (")
    assert _number(total) == records + lines, what
    assert f"incl. {lines:,} from reportsToId" in parts
    counted = [piece.split(" ")[1] for piece in parts.rstrip(")").split(", ")]
    assert sum(_number(n) for n in counted) == records + lines, what
    assert found["source"] == str(generated)
    assert found["version"] == "1"


def test_the_summary_of_a_partial_change_says_how_many_of_how_many(
    cli: Cli, generated: Path
) -> None:
    cli.ok("import", str(generated))
    document = orjson.loads(generated.read_bytes())
    document["people"][7]["name"] = "名前 変更"
    changed = cli.cwd / "changed.json"
    changed.write_bytes(orjson.dumps(document))
    found = _summary(cli.ok("import", str(changed)).stderr)
    assert re.fullmatch(r"1 new or changed record of [0-9,]+ \(people 1\)", found["what"])
    assert found["version"] == "2"


def test_unknown_fields_are_refused(cli: Cli) -> None:
    document = {
        "format": "graphsvc/v1",
        "organizations": [{"id": "a", "name": "A", "kind": "CUSTOMER", "colour": "red"}],
    }
    done = cli.run("import", "-", input=orjson.dumps(document))
    assert done.returncode == 2
    assert "colour" in error_line(done.stderr)


def test_an_unsupported_store_url_is_one_line(cli: Cli, generated: Path) -> None:
    done = cli.run("import", str(generated), "--store", "postgres://db/graph")
    assert done.returncode == 2
    assert "unsupported store URL 'postgres://db/graph'" in error_line(done.stderr)


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite:///"])
def test_a_sqlite_url_without_a_file_is_one_line(cli: Cli, generated: Path, url: str) -> None:
    # given a SQLite URL naming no file, when importing into it, then one line says why not
    done = cli.run("import", str(generated), "--store", url)
    assert done.returncode == 2
    line = error_line(done.stderr)
    assert f"store URL {url!r} names no file" in line
    assert "use sqlite:///PATH" in line


def test_too_few_people_is_a_usage_error(cli: Cli) -> None:
    done = cli.run("generate", "--people", "10")
    assert done.returncode == 2
    assert "at least 50" in error_line(done.stderr)
    assert done.stdout == b""


def test_a_missing_argument_is_a_usage_error(cli: Cli) -> None:
    done = cli.run("import")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr.decode()
    assert "Missing argument 'FILE'" in done.stderr.decode()


def test_schema_prints_the_served_sdl(cli: Cli) -> None:
    assert cli.ok("schema").stdout.decode("utf-8") == sdl()


def test_schema_prints_the_committed_schema_file(cli: Cli) -> None:
    committed = REPO / "schema.graphql"
    if not committed.exists():
        pytest.skip("schema.graphql is not committed yet")
    assert cli.ok("schema").stdout.decode("utf-8") == committed.read_text("utf-8")


def test_migrate_reports_on_stderr(cli: Cli) -> None:
    done = cli.ok("migrate")
    assert done.stdout == b""
    assert done.stderr.decode().strip().splitlines()[-1].startswith("migrated sqlite:///")
