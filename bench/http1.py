"""A lean HTTP/1.1 client for load generators: one keep-alive connection, POSTs of JSON.

``bench/load.py``'s clients used httpx, which spent about as much CPU per request as the
server (~3.7 ms) on the same two cores, so the generator took CPU the server would have had.
This client writes the request bytes itself and reads the answer by its ``Content-Length``
(or its chunks), on one asyncio stream per client; it sends the headers httpx sends
(``Accept-Encoding: gzip, deflate`` included, so the server compresses what it compressed
for httpx) and inflates gzip bodies with zlib, so the server does the same work for either.
"""

from __future__ import annotations

import asyncio
import zlib
from urllib.parse import urlsplit

import orjson

__all__ = ["Http1Error", "JsonPoster"]


class Http1Error(Exception):
    """The connection failed or the answer was not HTTP/1.1 as expected."""


class JsonPoster:
    """POSTs JSON to one URL over one keep-alive connection, opened on first use."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        fixed = {
            "Host": parts.netloc,
            "Accept": "*/*",
            "Accept-Encoding": "gzip, deflate",
            "Connection": "keep-alive",
            "Content-Type": "application/json",
            **headers,
        }
        self._head = f"POST {parts.path or '/'} HTTP/1.1\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in fixed.items()
        )
        self._stream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, payload: object) -> tuple[int, bytes]:
        """The status and (inflated) body of the answer to ``payload`` sent as JSON."""
        body = orjson.dumps(payload)
        request = (self._head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        try:
            if self._stream is None:
                self._stream = await asyncio.open_connection(self.host, self.port)
            reader, writer = self._stream
            writer.write(request)
            return await self._answer(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            await self.close()
            raise Http1Error(f"{type(error).__name__}: {error}") from error

    async def _answer(self, reader: asyncio.StreamReader) -> tuple[int, bytes]:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while size := int((await reader.readuntil(b"\r\n"))[:-2].split(b";")[0], 16):
                chunks.append(await reader.readexactly(size))
                await reader.readexactly(2)
            await reader.readuntil(b"\r\n")
            content = b"".join(chunks)
        else:
            content = await reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        coding = headers.get("content-encoding", "").lower()
        if coding == "gzip":
            content = zlib.decompress(content, 16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            content = zlib.decompress(content)
        return status, content

    async def close(self) -> None:
        """Close the connection (the next ``post`` opens another)."""
        if self._stream is not None:
            writer = self._stream[1]
            self._stream = None
            writer.close()
