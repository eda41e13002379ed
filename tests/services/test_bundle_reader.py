"""The CSV bundle reader on its own: cells, encodings, mappings, Salesforce's exports, and
issues located at ``file:line`` and column (CONTRACT §8)."""

from __future__ import annotations

import pytest

from graphsvc.errors import InvalidDocument, Issue
from graphsvc.services.bundle.columns import (
    LAYOUTS,
    CellKind,
    CellProblem,
    cell_text,
    cell_value,
    plain_text,
)
from graphsvc.services.bundle.mapping import load_mapping
from graphsvc.services.bundle.reader import read_bundle
from graphsvc.services.bundle.salesforce import person_name, read_salesforce
from graphsvc.services.bundle.text import BundleFile, decode


def files(**texts: str) -> list[BundleFile]:
    return [BundleFile(f"{name}.csv", text.encode()) for name, text in texts.items()]


def test_cell_kinds_come_from_the_models() -> None:
    assert LAYOUTS["systems"].kinds["departmentIds"] is CellKind.LIST
    assert LAYOUTS["systems"].kinds["ours"] is CellKind.BOOLEAN
    assert LAYOUTS["relationships"].kinds["dotted"] is CellKind.BOOLEAN
    assert LAYOUTS["opportunities"].kinds["stageHistory"] is CellKind.JSON
    assert LAYOUTS["organizations"].kinds["employees"] is CellKind.TEXT
    assert LAYOUTS["relationships"].columns[:3] == ["type", "from", "to"]
    assert LAYOUTS["people"].columns[-1] == "reportsToId"


def test_cells_become_document_values_and_back() -> None:
    assert cell_value(CellKind.LIST, "departmentIds", "k-it; k-hr;") == ["k-it", "k-hr"]
    assert cell_value(CellKind.BOOLEAN, "ours", "TRUE") is True
    assert cell_value(CellKind.JSON, "criteria", '[{"name":"a","met":true}]') == [
        {"name": "a", "met": True}
    ]
    assert cell_text(["k-it", "k-hr"]) == "k-it;k-hr"
    assert cell_text(False) == "false"
    assert cell_text(1.2e12) == "1200000000000.0"
    assert cell_text([{"stage": "X", "enteredOn": "2026-01-01"}]) == (
        '[{"stage":"X","enteredOn":"2026-01-01"}]'
    )
    with pytest.raises(CellProblem, match="ours must be true or false, not 'yes'"):
        cell_value(CellKind.BOOLEAN, "ours", "yes")
    with pytest.raises(CellProblem, match="criteria must be a JSON list"):
        cell_value(CellKind.JSON, "criteria", "met")


@pytest.mark.parametrize(
    "data",
    [
        "id,name\n海塔,佐藤\n".encode(),
        b"\xef\xbb\xbf" + "id,name\n海塔,佐藤\n".encode(),
        "id,name\n海塔,佐藤\n".encode("cp932"),
    ],
    ids=["utf-8", "utf-8 with BOM", "cp932"],
)
def test_utf8_with_or_without_bom_and_cp932_are_detected(data: bytes) -> None:
    assert decode(BundleFile("people.csv", data), None) == "id,name\n海塔,佐藤\n"


def test_a_file_in_neither_encoding_is_named() -> None:
    utf16 = "id,name\n海塔,佐藤\n".encode("utf-16")
    with pytest.raises(InvalidDocument) as refused:
        decode(BundleFile("people.csv", utf16), None)
    assert refused.value.issues[0].path == "people.csv"
    assert "neither UTF-8 nor Shift_JIS/CP932" in refused.value.issues[0].message
    assert decode(BundleFile("people.csv", utf16), "utf-16") == "id,name\n海塔,佐藤\n"
    with pytest.raises(InvalidDocument, match="unknown encoding 'latin-9x'"):
        decode(BundleFile("people.csv", b"id\n"), "latin-9x")


def test_a_bundle_reads_as_the_document_json_would_hold() -> None:
    bundle = read_bundle(
        files(
            systems="id,name,organizationId,category,ours,departmentIds,annualValue\n"
            "s1,ERP,k,ERP,true,d1;d2,\n",
            people='id,name,organizationId\n"p1","multi\nline",k\np2,B,k\n',
        )
    )
    assert bundle.issues == []
    assert bundle.data["systems"] == [
        {
            "id": "s1",
            "name": "ERP",
            "organizationId": "k",
            "category": "ERP",
            "ours": True,
            "departmentIds": ["d1", "d2"],
        }
    ]
    # a record's line is the line it starts on, also after a cell spanning two lines
    assert list(bundle.lines["people"]) == [2, 4]


def test_document_issues_are_located_in_the_files() -> None:
    bundle = read_bundle(
        files(people="id,氏名,organizationId\np1,A,k\np2,B,k\n"),
        load_mapping("m.toml", b'[people.columns]\n"\xe6\xb0\x8f\xe5\x90\x8d" = "name"\n'),
    )
    located = bundle.located(
        [
            Issue("people[1].name", "p2", "name must not be blank"),
            Issue("people[0].id", "p1", "duplicate id: person 'p1' is already people[1]"),
            Issue("people[0]", "p1", "a cycle"),
        ]
    )
    assert [str(issue) for issue in located] == [
        "people.csv:2 column id (p1): duplicate id: person 'p1' is already people.csv:3",
        "people.csv:2 (p1): a cycle",
        "people.csv:3 column 氏名 (name) (p2): name must not be blank",
    ]


def test_a_mapping_renames_maps_values_sets_defaults_and_ignores() -> None:
    mapping = load_mapping(
        "m.toml",
        """
[decisionRights]
file = "権限.csv"
ignore = ["メモ"]
[decisionRights.columns]
"人" = "personId"
"役割" = "role"
[decisionRights.values.role]
"決裁者" = "ECONOMIC_BUYER"
[decisionRights.defaults]
scopeId = "kaito"
area = "IT"
""".encode(),
    )
    bundle = read_bundle(
        [BundleFile("権限.csv", "人,役割,メモ\np1,決裁者,x\np2,USER,\n".encode())], mapping
    )
    assert bundle.issues == []
    assert bundle.data["decisionRights"] == [
        {"personId": "p1", "role": "ECONOMIC_BUYER", "scopeId": "kaito", "area": "IT"},
        {"personId": "p2", "role": "USER", "scopeId": "kaito", "area": "IT"},
    ]


def test_every_mistake_in_a_mapping_is_named() -> None:
    with pytest.raises(InvalidDocument) as refused:
        load_mapping(
            "m.toml",
            b'[people]\nfiel = "x"\n[people.values.moods]\n"a" = "b"\n[people.defaults]\nx = 1\n',
        )
    assert [issue.message for issue in refused.value.issues] == [
        "[people] has unknown key 'fiel'; keys: file, ignore, columns, values, defaults",
        "[people.values.moods]: unknown field; fields: id, name, organizationId, title, "
        "departmentId, seniority, stance, reportsToId",
        "[people.defaults] 'x': unknown field; fields: id, name, organizationId, title, "
        "departmentId, seniority, stance, reportsToId",
    ]
    with pytest.raises(InvalidDocument, match="not a valid TOML mapping"):
        load_mapping("m.toml", b"[people\n")


@pytest.mark.parametrize(
    ("first", "last", "full"),
    [
        ("健", "佐藤", "佐藤 健"),
        ("Anna", "Schmidt", "Anna Schmidt"),
        ("", "佐藤", "佐藤"),
        ("ケン", "サトウ", "サトウ ケン"),
        ("Ken", "", "Ken"),
    ],
)
def test_salesforce_names_follow_the_order_of_their_script(
    first: str, last: str, full: str
) -> None:
    assert person_name(first, last) == full


def test_salesforce_exports_map_onto_the_document() -> None:
    bundle = read_salesforce(
        [
            BundleFile(
                "Opportunity.csv",
                b"ID,ACCOUNTID,NAME,STAGENAME,AMOUNT,CLOSEDATE,PROBABILITY\n"
                b'o1,a1,Deal,Closed Won,"1,200,000",3/31/2026,100%\n'
                b"o2,a1,Deal 2,Negotiation/Review,5,2026/04/01,55\n",
            ),
            BundleFile(
                "Contact.csv",
                b"Contact ID,Account ID,Last Name,Department\nc1,a1,Lee,IT\nc2,a1,Kim,IT\n",
            ),
        ]
    )
    assert bundle.issues == []
    won, open_ = bundle.data["opportunities"]
    assert won == {
        "id": "o1",
        "organizationId": "a1",
        "name": "Deal",
        "category": "General",
        "amount": "1200000",
        "closeDate": "2026-03-31",
        "status": "WON",
        "probability": 1.0,
    }
    assert (open_["stage"], open_["status"], open_["probability"]) == ("NEGOTIATION", "OPEN", 0.55)
    assert open_["closeDate"] == "2026-04-01"
    assert bundle.data["departments"] == [{"id": "a1/IT", "organizationId": "a1", "name": "IT"}]
    assert [p["departmentId"] for p in bundle.data["people"]] == ["a1/IT", "a1/IT"]


def test_reading_reports_progress_per_file() -> None:
    seen: list[tuple[str, int, int]] = []
    people = "id,name,organizationId\n" + "".join(f"p{i},P,k\n" for i in range(12_000))

    read_bundle(files(people=people), progress=lambda *step: seen.append(step))

    assert seen[-1] == ("read people.csv", 12_001, 12_001)
    assert [done for _, done, _ in seen[:-1]] == [5_000, 10_000]


def test_file_names_match_in_any_case() -> None:
    bundle = read_bundle([BundleFile("People.CSV", b"id,name,organizationId\np1,A,k\n")])

    assert bundle.issues == []
    assert bundle.data["people"] == [{"id": "p1", "name": "A", "organizationId": "k"}]


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x")',
        "+81-3-1234",
        "-1",
        "@SUM(A1)",
        "\tx",
        "'=x",
        "''=x",
        "'abc",
        "abc",
        "'",
    ],
)
def test_text_a_spreadsheet_would_run_is_marked_and_read_back(text: str) -> None:
    cell = cell_text(text)
    if text.startswith(("=", "+", "-", "@", "\t", "'=", "''")):
        assert cell == "'" + text  # shown as text by Excel and LibreOffice, never run
    else:
        assert cell == text
    assert cell_value(CellKind.TEXT, "name", plain_text(cell)) == text
    listed = plain_text(cell_text([text, "k-hr"]))
    assert cell_value(CellKind.LIST, "departmentIds", listed) == [
        text.strip(),
        "k-hr",
    ]


def test_numbers_are_never_marked() -> None:
    assert cell_text(-5) == "-5"
