"""The files of a CSV bundle as text rows: which files, which encoding, which line.

A bundle is a folder or a ``.zip`` of one (CONTRACT §8); its ``.csv`` files are read by
their base name, wherever they sit in a zip (one folder level is common, since zipping a
folder stores it under its name). Each file is decoded on its own: UTF-8 with or without a
byte order mark, else Shift_JIS/CP932 (what Excel writes in Japan), unless the caller names
an encoding. A file in neither is refused with a message naming it, never read as
mojibake.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from graphsvc.errors import InvalidDocument, Issue

__all__ = ["BundleFile", "Row", "decode", "is_bundle", "load_files", "rows"]

DETECTED = ("utf-8", "cp932")
"""The encodings tried, in order, when none is given. UTF-8 first: a CP932 file is almost
never valid UTF-8, while much UTF-8 text is also valid CP932 (as mojibake)."""

_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\uf8f0-\uf8f3]")
"""Characters no CSV text holds: control characters, and what Python's CP932 makes of the
bytes 0x80, 0xa0 and 0xfd-0xff, which Shift_JIS does not use (so binary data, or UTF-16
without a byte order mark, is not taken for CP932)."""


@dataclass(frozen=True)
class BundleFile:
    """One ``.csv`` file of a bundle: its base name and its bytes."""

    name: str
    data: bytes


class Row(NamedTuple):
    """One record of a CSV file: the line it starts on (1 is the header) and its cells.

    A named tuple, not a dataclass: a million-row file makes a million of them."""

    line: int
    cells: list[str]


def is_bundle(source: str) -> bool:
    """Whether ``source`` names a CSV bundle (a folder or a ``.zip``), not a JSON document."""
    if source == "-":
        return False
    return source.lower().endswith(".zip") or Path(source).is_dir()


def load_files(source: str) -> list[BundleFile]:
    """The ``.csv`` files of the bundle at ``source``, sorted by name.

    Raises ``OSError`` when the folder or zip cannot be read, ``InvalidDocument`` when a zip
    is damaged or holds two files of one name.
    """
    path = Path(source)
    if path.is_dir():
        found = [
            BundleFile(child.name, child.read_bytes())
            for child in path.iterdir()
            if child.is_file() and child.suffix.lower() == ".csv"
        ]
    else:
        found = _zip_files(path)
    names = [file.name for file in found]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise InvalidDocument(
            [Issue(source, "", f"the bundle holds more than one {name}") for name in twice]
        )
    return sorted(found, key=lambda file: file.name)


def _zip_files(path: Path) -> list[BundleFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            return [
                BundleFile(PurePosixPath(info.filename).name, archive.read(info))
                for info in archive.infolist()
                if not info.is_dir()
                and info.filename.lower().endswith(".csv")
                and not PurePosixPath(info.filename).name.startswith(".")
                and "__MACOSX" not in info.filename
            ]
    except zipfile.BadZipFile as error:
        raise InvalidDocument([Issue(str(path), "", f"not a readable zip file: {error}")]) from None


def decode(file: BundleFile, encoding: str | None) -> str:
    """The text of ``file``: in ``encoding`` when given, else detected (see ``DETECTED``).

    A UTF-8 byte order mark is dropped. Raises ``InvalidDocument`` naming the file when the
    bytes are not text in the encoding given, or in none of those detected.
    """
    data = file.data
    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise InvalidDocument(
                [Issue(file.name, "", f"unknown encoding {encoding!r} (given with --encoding)")]
            ) from None
        if name == "utf-8" and data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        try:
            return data.decode(name)
        except UnicodeDecodeError as error:
            raise InvalidDocument(
                [Issue(file.name, "", f"not valid {encoding} text: {_where(data, error)}")]
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for name in DETECTED:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if not _NOT_TEXT.search(text):
            return text
    where = _first_non_text(data)
    raise InvalidDocument(
        [
            Issue(
                file.name,
                "",
                f"neither UTF-8 nor Shift_JIS/CP932 text ({where}); save it as UTF-8 or "
                "name its encoding with --encoding",
            )
        ]
    )


def _first_non_text(data: bytes) -> str:
    """Where ``data`` stops being UTF-8 text: the first byte no decoding accepted."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return _where(data, error)
    found = _NOT_TEXT.search(text)
    offset = len(text[: found.start() if found else 0].encode())
    line = data.count(b"\n", 0, offset) + 1
    return f"byte 0x{data[offset]:02x} on line {line}"


def _where(data: bytes, error: UnicodeDecodeError) -> str:
    """``byte 0xff on line 3``: where decoding failed, as a person finds it in an editor."""
    line = data.count(b"\n", 0, error.start) + 1
    return f"byte 0x{data[error.start]:02x} on line {line}"


def rows(name: str, text: str) -> Iterator[Row]:
    """The records of CSV ``text`` of file ``name`` (RFC 4180: quoted cells may hold commas
    and newlines), each with the line it starts on; rows whose cells are all empty are
    skipped. Broken quoting raises ``InvalidDocument`` naming ``name:line``."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        for cells in reader:
            if any(cells):
                yield Row(line, cells)
            line = reader.line_num + 1
    except csv.Error as error:
        raise InvalidDocument(
            [Issue(f"{name}:{reader.line_num}", "", f"not CSV: {error}")]
        ) from None
