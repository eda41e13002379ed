"""CSV bundles through the real command line (CONTRACT §8): import a folder or a .zip,
export ``--format csv``, and every problem named at its ``file:line`` and column."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import orjson

from tests.cli.conftest import REPO, Cli

EXAMPLES = REPO / "examples"


def export_json(cli: Cli, *store: str) -> dict[str, object]:
    document: dict[str, object] = orjson.loads(cli.ok(*store, "export").stdout)
    return document


def write_bundle(folder: Path, files: dict[str, str], encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text.encode(encoding))
    return folder


def test_an_exported_bundle_imported_into_an_empty_workspace_exports_the_same(
    cli: Cli, tmp_path: Path
) -> None:
    # given a generated workspace (every list, reportsToId, stage histories, criteria)
    cli.ok("import", "-", input=cli.ok("generate", "--people", "400", "--seed", "5").stdout)
    # when it is exported as a bundle, imported into an empty store and exported again
    first, second = tmp_path / "first", tmp_path / "second"
    cli.ok("export", "--format", "csv", "--output", str(first))
    other = f"sqlite:///{tmp_path / 'other.db'}"
    cli.ok("--store", other, "import", str(first))
    cli.ok("--store", other, "export", "--format", "csv", "--output", str(second))
    # then both bundles are the same bytes, and both stores export the same JSON
    names = sorted(p.name for p in first.iterdir())
    assert names == [
        "decisionRights.csv",
        "departments.csv",
        "opportunities.csv",
        "organizations.csv",
        "people.csv",
        "relationships.csv",
        "systems.csv",
    ]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert export_json(cli) == export_json(cli, "--store", other)


BUNDLE = {
    "organizations.csv": "id,name,kind,industry,employees,revenue,parentId,ownership\n"
    "us,Nexa,SELF,,,,,\n"
    "kaito,海塔ホールディングス,CUSTOMER,Manufacturing,52000,1.2e12,,\n"
    "kaito-log,海塔ロジスティクス,CUSTOMER,,,,kaito,0.8\n",
    "departments.csv": "id,organizationId,name,function,headcount,parentId\n"
    "k-it,kaito,情報システム部,IT,120,\n"
    "k-infra,kaito,インフラ課,IT,,k-it\n",
    "people.csv": "id,name,organizationId,title,departmentId,seniority,stance,reportsToId\n"
    "ae-1,山田 太郎,us,AE,,,,\n"
    "p-cio,佐藤 健,kaito,CIO,k-it,EXECUTIVE,NEUTRAL,\n"
    'p-eng,"伊藤, 大輔",kaito,主任,k-infra,STAFF,CHAMPION,p-cio\n',
    "systems.csv": "id,name,organizationId,category,vendor,ours,departmentIds,contractEndsOn\n"
    "s-erp,ERP,kaito,ERP,Rival,false,k-it;k-infra,2027-03-31\n",
    "relationships.csv": "type,from,to,strength,lastContactOn,dotted\n"
    "KNOWS,ae-1,p-eng,0.9,2026-10-20,\n"
    "REPORTS_TO,p-eng,ae-1,,,true\n",
    "decisionRights.csv": "personId,scopeId,area,role,budgetLimit\n"
    "p-cio,kaito,IT,ECONOMIC_BUYER,100000000\n",
    "opportunities.csv": "id,name,organizationId,category,stage,amount,status,"
    "stageHistory,criteria\n"
    'o-1,ERP刷新,kaito,ERP,PROPOSAL,5000000,OPEN,"[{""stage"":""PROPOSAL"",""enteredOn"":'
    '""2026-09-01""}]","[{""name"":""予算"",""met"":true}]"\n',
}

DOCUMENT = {
    "format": "graphsvc/v1",
    "organizations": [
        {"id": "us", "name": "Nexa", "kind": "SELF"},
        {
            "id": "kaito",
            "name": "海塔ホールディングス",
            "kind": "CUSTOMER",
            "industry": "Manufacturing",
            "employees": 52000,
            "revenue": 1.2e12,
        },
        {
            "id": "kaito-log",
            "name": "海塔ロジスティクス",
            "kind": "CUSTOMER",
            "parentId": "kaito",
            "ownership": 0.8,
        },
    ],
    "departments": [
        {
            "id": "k-it",
            "organizationId": "kaito",
            "name": "情報システム部",
            "function": "IT",
            "headcount": 120,
        },
        {
            "id": "k-infra",
            "organizationId": "kaito",
            "name": "インフラ課",
            "function": "IT",
            "parentId": "k-it",
        },
    ],
    "people": [
        {"id": "ae-1", "name": "山田 太郎", "organizationId": "us", "title": "AE"},
        {
            "id": "p-cio",
            "name": "佐藤 健",
            "organizationId": "kaito",
            "title": "CIO",
            "departmentId": "k-it",
            "seniority": "EXECUTIVE",
            "stance": "NEUTRAL",
        },
        {
            "id": "p-eng",
            "name": "伊藤, 大輔",
            "organizationId": "kaito",
            "title": "主任",
            "departmentId": "k-infra",
            "seniority": "STAFF",
            "stance": "CHAMPION",
            "reportsToId": "p-cio",
        },
    ],
    "systems": [
        {
            "id": "s-erp",
            "name": "ERP",
            "organizationId": "kaito",
            "category": "ERP",
            "vendor": "Rival",
            "ours": False,
            "departmentIds": ["k-it", "k-infra"],
            "contractEndsOn": "2027-03-31",
        }
    ],
    "relationships": [
        {
            "type": "KNOWS",
            "from": "ae-1",
            "to": "p-eng",
            "strength": 0.9,
            "lastContactOn": "2026-10-20",
        },
        {"type": "REPORTS_TO", "from": "p-eng", "to": "ae-1", "dotted": True},
    ],
    "decisionRights": [
        {
            "personId": "p-cio",
            "scopeId": "kaito",
            "area": "IT",
            "role": "ECONOMIC_BUYER",
            "budgetLimit": 100000000,
        }
    ],
    "opportunities": [
        {
            "id": "o-1",
            "name": "ERP刷新",
            "organizationId": "kaito",
            "category": "ERP",
            "stage": "PROPOSAL",
            "amount": 5000000,
            "status": "OPEN",
            "stageHistory": [{"stage": "PROPOSAL", "enteredOn": "2026-09-01"}],
            "criteria": [{"name": "予算", "met": True}],
        }
    ],
}


def test_a_bundle_and_the_equivalent_json_document_import_to_the_same_store(
    cli: Cli, tmp_path: Path
) -> None:
    # given a bundle (lists ;-separated, empty cells, JSON cells, a quoted comma) and the
    # JSON document that says the same
    bundle = write_bundle(tmp_path / "bundle", BUNDLE)
    other = f"sqlite:///{tmp_path / 'json.db'}"
    # when each is imported into an empty store
    done = cli.ok("import", str(bundle))
    cli.ok("--store", other, "import", "-", input=orjson.dumps(DOCUMENT))
    # then the stores hold the same records
    assert export_json(cli) == export_json(cli, "--store", other)
    assert b"14 records" in done.stderr


def test_a_zip_of_a_bundle_imports_like_the_folder(cli: Cli, tmp_path: Path) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for name, text in BUNDLE.items():
            out.writestr(f"bundle/{name}", text.encode())  # zipped folders keep their name
    other = f"sqlite:///{tmp_path / 'json.db'}"

    cli.ok("import", str(archive))
    cli.ok("--store", other, "import", "-", input=orjson.dumps(DOCUMENT))

    assert export_json(cli) == export_json(cli, "--store", other)


def test_the_japanese_example_bundle_in_cp932_imports(cli: Cli) -> None:
    # given the example bundle, saved by Excel in Japan (CP932, CRLF)
    folder = EXAMPLES / "bundle-ja"
    assert "佐藤".encode("cp932") in (folder / "people.csv").read_bytes()
    # when imported without naming an encoding
    cli.ok("import", str(folder))
    # then the Japanese text arrives intact
    document = export_json(cli)
    people = {p["id"]: p for p in document["people"]}  # type: ignore[attr-defined]
    assert people["p-cio"]["name"] == "佐藤 健"
    assert people["p-cio"]["reportsToId"] == "p-ceo"
    systems = {s["id"]: s for s in document["systems"]}  # type: ignore[attr-defined]
    assert systems["s-erp"]["departmentIds"] == ["k-fin", "k-hr"]


def test_utf8_with_a_bom_and_a_named_encoding_are_read(cli: Cli, tmp_path: Path) -> None:
    bom = write_bundle(
        tmp_path / "bom", {"organizations.csv": "\ufeffid,name,kind\nk,海塔,CUSTOMER\n"}
    )
    utf16 = write_bundle(
        tmp_path / "utf16", {"organizations.csv": "id,name,kind\nl,物流,CUSTOMER\n"}, "utf-16"
    )

    cli.ok("import", str(bom))
    cli.ok("import", str(utf16), "--encoding", "utf-16")

    names = [o["name"] for o in export_json(cli)["organizations"]]  # type: ignore[attr-defined]
    assert names == ["海塔", "物流"]


def test_a_file_in_neither_encoding_is_refused_naming_the_file(cli: Cli, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {"organizations.csv": "id,name,kind\nk,海塔,CUSTOMER\n"})
    (folder / "people.csv").write_bytes(b"id,name,organizationId\r\np,\xff\xfe\xfd,k\r\n")

    done = cli.run("import", str(folder))

    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        "error: people.csv: neither UTF-8 nor Shift_JIS/CP932 text (byte 0xff on line 2); "
        "save it as UTF-8 or name its encoding with --encoding"
    ]
    assert export_json(cli)["organizations"] == []


def test_every_problem_is_named_at_file_line_and_column_and_nothing_changes(
    cli: Cli, tmp_path: Path
) -> None:
    # given a bundle with an unknown column, a bad enum value, a reference to nothing, a
    # strength out of range, a boolean that is neither true nor false, and a duplicate id
    folder = write_bundle(
        tmp_path / "b",
        {
            "organizations.csv": "id,name,kind\nkaito,海塔,CUSTOMER\n",
            "people.csv": "id,name,organizationId,departmentId,stance,nickname\n"
            "p-a,A,kaito,k-nowhere,,\n"
            "p-b,B,kaito,,FRIENDLY,\n"
            "\n"
            '"p-a",A again,kaito,,,\n',
            "relationships.csv": "type,from,to,strength,dotted\n"
            "KNOWS,p-a,p-b,1.5,\n"
            "REPORTS_TO,p-b,p-a,,yes\n",
        },
        "cp932",
    )
    # when it is imported
    done = cli.run("import", str(folder))
    # then every problem is one line naming file:line, the column and the value; exit 2
    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        "error: 6 problems in the document; nothing was changed:",
        "  people.csv:1 column nickname: unknown column 'nickname'; columns of people.csv: "
        "id, name, organizationId, title, departmentId, seniority, stance, reportsToId "
        "(or map it with --mapping)",
        "  people.csv:2 column departmentId (p-a): departmentId 'k-nowhere' names no "
        "department in the document or the workspace",
        '  people.csv:3 column stance (p-b): stance "FRIENDLY" is not one of CHAMPION, '
        "SUPPORTER, NEUTRAL, SKEPTIC, BLOCKER, UNKNOWN",
        "  people.csv:5 column id (p-a): duplicate id: person 'p-a' is already people.csv:2",
        '  relationships.csv:2 column strength (KNOWS p-a→p-b): strength "1.5" is not in (0, 1]',
        "  relationships.csv:3 column dotted: dotted must be true or false, not 'yes'",
    ]
    assert export_json(cli)["organizations"] == []


def test_a_csv_file_of_no_list_is_refused_not_skipped(cli: Cli, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {"Kontakte.csv": "id,name\np,A\n"})

    done = cli.run("import", str(folder))

    assert done.returncode == 2
    assert done.stderr.decode().startswith(
        "error: Kontakte.csv:1: no list is read from this file; expected organizations.csv,"
    )


def test_the_mapping_example_maps_files_columns_values_and_defaults(cli: Cli) -> None:
    folder = EXAMPLES / "spreadsheet"

    cli.ok("import", str(folder), "--mapping", str(folder / "mapping.toml"))

    document = export_json(cli)
    organizations = {o["id"]: o for o in document["organizations"]}  # type: ignore[attr-defined]
    assert organizations["us"]["kind"] == "SELF"
    assert organizations["kaito-log"]["parentId"] == "kaito"
    people = {p["id"]: p for p in document["people"]}  # type: ignore[attr-defined]
    assert people["p-eng"]["stance"] == "CHAMPION"
    assert people["p-eng"]["seniority"] == "STAFF"
    assert people["ae-1"]["stance"] == "UNKNOWN"  # the mapping's default
    rights = {r["personId"]: r["role"] for r in document["decisionRights"]}  # type: ignore[attr-defined]
    assert rights["p-cio"] == "ECONOMIC_BUYER"
    deals = {o["id"]: o for o in document["opportunities"]}  # type: ignore[attr-defined]
    assert deals["o-sec"]["status"] == "WON"
    assert deals["o-wms"]["stage"] == "DISCOVERY"


def test_a_problem_under_a_mapping_names_the_column_as_written(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "spreadsheet"
    shutil.copytree(EXAMPLES / "spreadsheet", folder)
    people = folder / "関係者.csv"
    people.write_bytes(people.read_bytes().replace("推進者".encode(), "味方".encode()))

    done = cli.run("import", str(folder), "--mapping", str(folder / "mapping.toml"))

    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        'error: 関係者.csv:6 column スタンス (stance) (p-eng): stance "味方" is not one of '
        "CHAMPION, SUPPORTER, NEUTRAL, SKEPTIC, BLOCKER, UNKNOWN"
    ]


def test_a_mistake_in_a_mapping_is_named_before_anything_is_read(cli: Cli, tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text('[people.columns]\n"Name" = "nmae"\n[contacts]\nfile = "x.csv"\n')

    done = cli.run("import", str(EXAMPLES / "bundle-ja"), "--mapping", str(mapping))

    assert done.returncode == 2
    text = done.stderr.decode()
    assert f"{mapping}: [people.columns] 'Name' maps to unknown field 'nmae'" in text
    assert f"{mapping}: unknown list [contacts]" in text


def test_the_salesforce_example_imports_with_the_built_in_mapping(cli: Cli) -> None:
    # given Salesforce's Account, Contact and Opportunity exports
    folder = EXAMPLES / "salesforce"
    # when imported with the built-in mapping, our own account named with --self
    cli.ok("import", str(folder), "--mapping", "salesforce", "--self", "0015g00000AbCdEAA1")
    document = export_json(cli)
    # then accounts are organizations (ours SELF, a subsidiary under its parent)
    organizations = {o["id"]: o for o in document["organizations"]}  # type: ignore[attr-defined]
    assert organizations["0015g00000AbCdEAA1"]["kind"] == "SELF"
    assert organizations["0015g00000KaLogAA1"]["parentId"] == "0015g00000KaItoAA1"
    assert organizations["0015g00000KaItoAA1"]["employees"] == 52000
    # names in their language's order, departments per account, reporting lines
    people = {p["id"]: p for p in document["people"]}  # type: ignore[attr-defined]
    assert people["0035g00000CIOAAA"]["name"] == "佐藤 健"
    assert people["0035g00000NS2AAA"]["name"] == "Jonas Weber"
    assert people["0035g00000ITDAAA"]["departmentId"] == "0015g00000KaItoAA1/情報システム部"
    assert people["0035g00000ITDAAA"]["reportsToId"] == "0035g00000CIOAAA"
    departments = [d["id"] for d in document["departments"]]  # type: ignore[attr-defined]
    assert departments.count("0015g00000KaItoAA1/情報システム部") == 1
    # status from IsClosed/IsWon, stages onto the model, probability from percent
    deals = {o["id"]: o for o in document["opportunities"]}  # type: ignore[attr-defined]
    assert deals["0065g00000OP1AAA"]["stage"] == "PROPOSAL"
    assert deals["0065g00000OP1AAA"]["probability"] == 0.75
    assert deals["0065g00000OP3AAA"]["status"] == "WON"
    assert deals["0065g00000OP5AAA"]["status"] == "LOST"
    assert deals["0065g00000OP4AAA"]["stage"] == "Technical Review"


def test_a_salesforce_problem_names_the_export_file_line_and_column(
    cli: Cli, tmp_path: Path
) -> None:
    folder = write_bundle(
        tmp_path / "sf",
        {
            "Account.csv": "Id,Name\n001A,Acme\n",
            "Contact.csv": "Id,AccountId,FirstName,LastName\n003A,001X,Ann,Lee\n",
            "Opportunity.csv": "Id,AccountId,Name,IsClosed,IsWon,Probability\n"
            "006A,001A,Deal,maybe,false,40\n",
        },
    )

    done = cli.run("import", str(folder), "--mapping", "salesforce")

    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        "error: 2 problems in the document; nothing was changed:",
        "  Contact.csv:2 column AccountId (organizationId) (003A): organizationId '001X' "
        "names no organization in the document or the workspace",
        "  Opportunity.csv:2 column IsClosed: IsClosed must be true or false, not 'maybe'",
    ]


def test_bundle_options_are_refused_for_a_json_document(cli: Cli, tmp_path: Path) -> None:
    document = tmp_path / "d.json"
    document.write_bytes(orjson.dumps({"format": "graphsvc/v1"}))

    done = cli.run("import", str(document), "--mapping", "salesforce")

    assert done.returncode == 2
    assert "--mapping applies to CSV bundles" in done.stderr.decode()


def test_a_csv_export_needs_a_folder(cli: Cli) -> None:
    done = cli.run("export", "--format", "csv")

    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        "error: --format csv needs --output DIR, the folder to write the bundle to"
    ]


def test_text_that_would_run_as_a_formula_is_exported_as_text_and_read_back(
    cli: Cli, tmp_path: Path
) -> None:
    # given a person whose name and title a spreadsheet would run (OWASP "CSV injection")
    files = dict(BUNDLE)
    files["people.csv"] = (
        "id,name,organizationId,title\n"
        'p-x,"=HYPERLINK(""http://evil.example"",""x"")",kaito,@SUM(A1)\n'
        "ae-1,山田 太郎,us,AE\n"
    )
    files = {
        name: text
        for name, text in files.items()
        if name in ("organizations.csv", "departments.csv", "people.csv")
    }
    cli.ok("import", str(write_bundle(tmp_path / "in", files)))
    # when it is exported as a bundle
    out = tmp_path / "out"
    cli.ok("export", "--format", "csv", "--output", str(out))
    # then the cells start with the spreadsheet's text mark, and importing them back
    # gives the same values
    people = (out / "people.csv").read_text(encoding="utf-8-sig")
    assert '"\'=HYPERLINK(""http://evil.example"",""x"")"' in people
    assert ",'@SUM(A1)," in people
    other = f"sqlite:///{tmp_path / 'other.db'}"
    cli.ok("--store", other, "import", str(out))
    assert export_json(cli) == export_json(cli, "--store", other)
    names = {p["id"]: p for p in export_json(cli, "--store", other)["people"]}  # type: ignore[union-attr]
    assert names["p-x"]["name"] == '=HYPERLINK("http://evil.example","x")'
