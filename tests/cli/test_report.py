"""``graphsvc report`` through the real command: the plan on stdout (HTML by default,
Markdown with --format md), the same document the API's accountPlan returns, a summary on
stderr, and one clear line with exit 2 for an unknown organization or a bad option."""

from __future__ import annotations

import asyncio
from datetime import date

from graphsvc.services.container import Services
from graphsvc.services.report import ReportFormat, ReportLanguage
from graphsvc.store.sqlite import SqliteStore
from tests.api.report_page import external_addresses, read_page
from tests.cli.conftest import Cli
from tests.factories import kaito_document

AS_OF = date(2026, 11, 1)


def _with_kaito(cli: Cli) -> None:
    path = cli.cwd / "kaito.json"
    path.write_text(kaito_document().model_dump_json(by_alias=True, exclude_none=True))
    cli.ok("import", str(path))


def _service_plan(cli: Cli, **options: object) -> str:
    """The plan as the service the API uses writes it, over the command's store."""

    async def main() -> str:
        store = SqliteStore(cli.store_url.removeprefix("sqlite:///"))
        await store.open()
        try:
            return await Services.over(store).report.account_plan(
                "default",
                "kaito",
                **options,  # type: ignore[arg-type]
            )
        finally:
            await store.close()

    return asyncio.run(main())


def test_report_prints_the_html_plan_to_stdout(cli: Cli) -> None:
    _with_kaito(cli)
    done = cli.ok("report", "--organization", "kaito", "--as-of", "2026-11-01")
    html = done.stdout.decode()
    page = read_page(html)
    assert page.lang == "ja"
    assert external_addresses(page) == []
    assert len(page.sections) == 9
    assert "account plan of 'kaito' (html" in done.stderr.decode()
    assert html == _service_plan(cli, as_of=AS_OF)


def test_report_markdown_in_english(cli: Cli) -> None:
    _with_kaito(cli)
    done = cli.ok(
        "report",
        "--organization",
        "kaito",
        "--format",
        "md",
        "--lang",
        "en",
        "--as-of",
        "2026-11-01",
    )
    markdown = done.stdout.decode()
    assert markdown.startswith("# Account plan: 海塔ホールディングス\n")
    assert "## 6. Approach scenario" in markdown
    assert markdown == _service_plan(
        cli,
        format=ReportFormat.MD,
        lang=ReportLanguage.EN,
        as_of=AS_OF,
    )


def test_unknown_organization_is_one_line_and_exit_2(cli: Cli) -> None:
    _with_kaito(cli)
    done = cli.run("report", "--organization", "nope")
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode() == "error: organization 'nope' does not exist\n"


def test_our_own_organization_has_no_plan(cli: Cli) -> None:
    _with_kaito(cli)
    done = cli.run("report", "--organization", "us")
    assert done.returncode == 2
    assert done.stderr.decode().startswith("error: organization 'us' is our own (SELF)")
    assert done.stderr.decode().count("\n") == 1


def test_bad_options_are_usage_errors(cli: Cli) -> None:
    for args in (
        ("--organization", "kaito", "--format", "pdf"),
        ("--organization", "kaito", "--lang", "fr"),
        ("--organization", "kaito", "--as-of", "2026-13-01"),
        (),
    ):
        done = cli.run("report", *args)
        assert done.returncode == 2, args
        assert b"Traceback" not in done.stderr
        assert done.stdout == b""
