"""The console's static shell under /app (CONTRACT §9), through the real app with auth on.

The shell holds no data, so it loads without a token; every stable address answers the
app's index.html; assets are cached for a year under content-hashed names; the
Content-Security-Policy allows only the server itself. The browser tests
(tests/console/) drive the app itself.
"""

from __future__ import annotations

import filecmp
import re
import subprocess
from pathlib import Path

import pytest

from graphsvc.api.console import CONTENT_SECURITY_POLICY, DIST
from tests.api.conftest import Served
from tests.console_tools import CONSOLE, require_node

pytestmark = pytest.mark.security

PAGES = [
    "/app",
    "/app/",
    "/app/organizations/org1",
    "/app/organizations/org1/power-map",
    "/app/organizations/org1/whitespace",
    "/app/organizations/org1/pipeline",
    "/app/people/org1-cio",
    "/app/organizations/%E6%B5%B7%E5%A1%94",
]


@pytest.mark.parametrize("path", PAGES)
async def test_every_stable_address_answers_the_shell_without_a_token(
    served: Served, path: str
) -> None:
    response = await served.client.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == (DIST / "index.html").read_text("utf-8")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_the_content_security_policy_allows_only_the_server_itself() -> None:
    sources = {
        word for directive in CONTENT_SECURITY_POLICY.split(";") for word in directive.split()[1:]
    }
    assert sources == {"'self'", "'none'"}


async def test_an_address_outside_the_contract_answers_the_shell_with_404(served: Served) -> None:
    response = await served.client.get("/app/organizations/org1/nonsense/more")

    assert response.status_code == 404
    assert response.text == (DIST / "index.html").read_text("utf-8")


async def test_assets_referenced_by_the_shell_are_served_and_cached_for_a_year(
    served: Served,
) -> None:
    shell = (await served.client.get("/app/organizations/org1")).text
    referenced = re.findall(r'(?:src|href)="(/app/assets/[^"]+)"', shell)

    assert referenced, shell
    for path in referenced:
        response = await served.client.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_the_shell_loads_nothing_from_another_origin() -> None:
    shell = (DIST / "index.html").read_text("utf-8")
    texts = [p for p in (DIST / "assets").iterdir() if p.suffix in (".js", ".css")]
    for asset in [DIST / "index.html", *sorted(texts)]:
        text = asset.read_text("utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), asset.name
        assert not re.search(r"""url\(["']?(https?:)?//""", text), asset.name
    assert "<script>" not in shell  # no inline script: the CSP would block it


@pytest.mark.parametrize("name", ["../index.html", "..%2Findex.html", "nothing.js", "%2e%2e"])
async def test_asset_names_outside_the_assets_folder_are_404(served: Served, name: str) -> None:
    response = await served.client.get(f"/app/assets/{name}")

    assert response.status_code == 404


async def test_graphql_still_requires_a_token(served: Served) -> None:
    response = await served.client.post("/graphql", json={"query": "{ __typename }"})

    assert response.status_code == 401


def test_cytoscape_is_loaded_by_the_power_map_only_not_by_the_shell() -> None:
    # the shell's own script is small; Cytoscape comes in its own chunk, imported on demand
    shell = (DIST / "index.html").read_text(encoding="utf-8")
    [entry] = re.findall(r'src="/app/(assets/[^"]+\.js)"', shell)
    script = (DIST / entry).read_text(encoding="utf-8")
    [chunk] = [p for p in (DIST / "assets").iterdir() if p.name.startswith("cytoscape")]
    assert "cytoscape_container" not in script  # a string of the cytoscape library
    assert len(script) < 100_000
    assert chunk.name in script  # the dynamic import()
    assert "cytoscape" not in shell


def test_the_package_data_includes_the_built_console() -> None:
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text("utf-8")

    assert '"api/console/dist/*"' in pyproject
    assert '"api/console/dist/assets/*"' in pyproject
    assert (DIST / "index.html").is_file()


def _files(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


@pytest.mark.slow
def test_the_committed_build_equals_a_fresh_build_of_console_src(tmp_path: Path) -> None:
    # given a fresh build of console/src (type-checked, then bundled) into a scratch folder
    require_node()
    fresh = tmp_path / "dist"
    build = subprocess.run(
        ["npm", "run", "--silent", "build", "--", "--outDir", str(fresh), "--emptyOutDir"],
        cwd=CONSOLE,
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert build.returncode == 0, build.stderr.decode() + build.stdout.decode()

    # then the package's build is the same, file for file: run 'make console' and commit
    assert _files(DIST) == _files(fresh), "graphsvc/api/console/dist is stale: run make console"
    _, mismatch, errors = filecmp.cmpfiles(DIST, fresh, _files(fresh), shallow=False)
    assert mismatch == errors == [], "graphsvc/api/console/dist is stale: run make console"


async def test_the_bundled_japanese_font_is_served_from_the_console_assets(
    served: Served,
) -> None:
    # every font piece the stylesheet names is one of the console's own files, served as a font
    css = next((DIST / "assets").glob("index-*.css")).read_text("utf-8")
    pieces = re.findall(r"url\((/app/assets/noto-sans-jp-[^)]+\.woff2)\)", css)

    assert len(pieces) > 100, "the unicode-range pieces of Noto Sans JP are missing"
    for path in pieces[:3] + pieces[-3:]:
        response = await served.client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "font/woff2"
        assert response.content.startswith(b"wOF2")
