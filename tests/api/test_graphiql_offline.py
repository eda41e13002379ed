"""The GraphiQL page loads nothing from outside the server (issue 12, CONTRACT §9).

Through the real app with authentication on: the page a browser gets at ``/graphql``, every
file it references (fetched without a token, as a browser does), and the page's
Content-Security-Policy.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest

from graphsvc.api.graphiql import AssetMissing, render_page
from tests.api.conftest import Served, ServeFactory

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}

CONTENT_TYPES = {
    ".js": ("text/javascript", "application/javascript"),
    ".css": ("text/css",),
    ".svg": ("image/svg+xml",),
}


class _References(HTMLParser):
    """Every address an HTML page makes a browser load, and its inline scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[dict[str, str | None]] = []
        self.inline: list[str] = []
        self._tag: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        address = found.get("src") or found.get("href")
        if address is not None:
            self.assets.append({"tag": tag, "url": address, "integrity": found.get("integrity")})
        elif tag in ("script", "style"):
            self._tag = tag
        if "style" in found:
            self.inline.append(f"style attribute on <{tag}>")

    def handle_data(self, data: str) -> None:
        if self._tag is not None and data.strip():
            self.inline.append(f"<{self._tag}> {data.strip()[:40]}")

    def handle_endtag(self, tag: str) -> None:
        self._tag = None


async def _page(served: Served) -> tuple[str, _References]:
    response = await served.client.get("/graphql", headers=BROWSER)
    assert response.status_code == 200, response.text
    parsed = _References()
    parsed.feed(response.text)
    return response.text, parsed


async def test_the_graphiql_page_references_nothing_outside_the_server(served: Served) -> None:
    # when a browser opens GraphiQL (no token: the page holds no data)
    text, page = await _page(served)
    # then it loads React, ReactDOM, GraphiQL and the explorer plugin with their styles, and
    # every address is on this server: no scheme, no host, no protocol-relative //
    urls = [str(asset["url"]) for asset in page.assets]
    for needed in ("react.production.min", "react-dom.production.min", "graphiql.min.js"):
        assert any(needed in url for url in urls), (needed, urls)
    assert any(url.endswith("graphiql.min.css") for url in urls), urls
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert not re.search(r"https?://|unpkg|jsdelivr|esm\.sh", text, re.IGNORECASE), text
    # and nothing inline, so that the Content-Security-Policy can allow 'self' scripts only
    assert page.inline == []


async def test_every_asset_of_the_graphiql_page_is_served_with_its_type_and_a_cache_header(
    served: Served,
) -> None:
    _, page = await _page(served)
    for asset in page.assets:
        url = str(asset["url"])
        # when the browser fetches it, as it does, without a token
        response = await served.client.get(url)
        # then it is there, with the right type, a cache header, and not sniffed
        assert response.status_code == 200, url
        extension = url[url.rindex(".") :]
        content_type = response.headers["content-type"].split(";")[0]
        assert content_type in CONTENT_TYPES[extension], (url, content_type)
        assert response.headers["cache-control"], url
        assert response.headers["x-content-type-options"] == "nosniff", url
        # and a vendored file is the one its integrity digest names (the browser checks it)
        if asset["integrity"] is not None:
            digest = base64.b64encode(hashlib.sha384(response.content).digest()).decode()
            assert asset["integrity"] == f"sha384-{digest}", url
            assert "immutable" in response.headers["cache-control"], url


async def test_the_vendored_styles_embed_their_fonts_and_images(served: Served) -> None:
    # GraphiQL's stylesheet brings its fonts and icons: none may come from elsewhere
    _, page = await _page(served)
    for url in (str(a["url"]) for a in page.assets if str(a["url"]).endswith(".css")):
        css = (await served.client.get(url)).text
        for target in re.findall(r"url\(\s*['\"]?([^'\")]+)", css):
            assert target.startswith("data:"), (url, target[:60])
        assert "@import" not in css, url


async def test_the_graphiql_page_allows_only_the_servers_own_files(served: Served) -> None:
    response = await served.client.get("/graphql", headers=BROWSER)
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in response.headers["content-security-policy"].split(";")
        if directive.strip()
    }
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for directive, sources in policy.items():
        for source in sources:
            assert source in {"'self'", "'none'", "'unsafe-inline'", "data:"}, (directive, source)
    # the inline exception is for the <style> elements of GraphiQL's dialogs, nothing else
    assert [d for d, s in policy.items() if "'unsafe-inline'" in s] == ["style-src-elem"]
    assert policy["style-src"] == ["'self'"]


async def test_the_graphiql_assets_need_no_token_and_the_page_still_runs_nothing(
    served: Served,
) -> None:
    _, page = await _page(served)
    # the files are public (they hold no data) ...
    first = str(page.assets[0]["url"])
    assert (await served.client.get(first)).status_code == 200
    # ... while an operation, even from a browser, still needs a token
    refused = await served.client.get(
        "/graphql", params={"query": "{ __typename }"}, headers=BROWSER
    )
    assert refused.status_code == 401
    assert (await served.graphql("{ __typename }")).status_code == 401


@pytest.mark.parametrize("path", ["/static/graphiql/page.js", "/static/graphiql/nothing.js"])
async def test_without_graphiql_its_assets_are_not_served(serve: ServeFactory, path: str) -> None:
    served: Served = await serve(graphiql=False)
    assert (await served.client.get(path)).status_code == 404


def test_a_page_naming_a_file_that_is_not_vendored_is_refused() -> None:
    manifest = {"react": {"folder": "react-18.2.0", "files": {"react.js": "sha384-x"}}}
    page = render_page(
        '<script src="{{react|react.js}}" integrity="{{sri:react|react.js}}">', manifest, "/s"
    )
    assert page == '<script src="/s/vendor/react-18.2.0/react.js" integrity="sha384-x">'
    for missing in ("{{react|react-dom.js}}", "{{graphiql|graphiql.min.js}}", "{{react}}"):
        with pytest.raises(AssetMissing, match=re.escape(missing)):
            render_page(missing, manifest, "/s")
