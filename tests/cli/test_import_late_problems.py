"""A problem near the end of a large-ish document: nothing changes and the record is named.

The import is atomic however far into the document the problem is found: the records read
before it are not written, the workspace version and its change log do not move, and the
error names the offending record by its position and id (CONTRACT §3, §6).
"""

from __future__ import annotations

import orjson

from tests.cli.conftest import Cli


def test_a_broken_record_at_the_end_changes_nothing_and_is_named(cli: Cli) -> None:
    # given a store holding a generated group, and the same group grown by a few thousand
    # people whose very last relationship names nobody
    small = cli.ok("generate", "--people", "300", "--seed", "3").stdout
    cli.ok("import", "-", input=small)
    before = cli.ok("export").stdout
    document = orjson.loads(cli.ok("generate", "--people", "2000", "--seed", "4").stdout)
    last = len(document["relationships"]) - 1
    document["relationships"][last]["to"] = "p-nobody"
    source = document["relationships"][last]["from"]
    late = cli.cwd / "late.json"
    late.write_bytes(orjson.dumps(document))
    assert len(document["people"]) >= 2000
    # when it is imported
    done = cli.run("import", str(late))
    # then the one problem names the last relationship, and the store is as it was
    assert done.returncode == 2
    text = done.stderr.decode()
    assert "Traceback" not in text
    assert f"relationships[{last}]" in text
    assert f"{source}→p-nobody" in text
    assert "p-nobody" in text
    assert cli.ok("export").stdout == before
    again = cli.ok("import", "-", input=small)
    assert again.stderr.decode().startswith("nothing to change")
    assert "(version 1," in again.stderr.decode()
