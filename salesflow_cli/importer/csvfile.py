"""CSV exports as a stream of (line number, record): encoding and delimiter detected, nothing loaded whole.

open_table() decides the encoding and the delimiter on a sample of the first MiB, then reads the
file line by line. Each physical line is decoded on its own (not the 8 KiB chunks a text-mode file
decodes), so a byte that does not fit the detected encoding is reported with its real line number,
and a 1,000,000-row file costs the memory of one record.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import UserError

SAMPLE_BYTES = 1 << 20
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
_BOM = codecs.BOM_UTF8
# records looked at to choose the delimiter: enough to see past one odd line, cheap to parse
_SNIFF_RECORDS = 50


class ImportFileError(UserError):
    """The file itself cannot be read as a table (exit 2): encoding, delimiter, header, shape."""


def _canonical_encoding(name: str) -> str:
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        raise ImportFileError(f"unknown encoding {name!r}", hint="use utf-8, utf-8-sig or cp1252") from None
    return {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig"}.get(canonical, canonical)


def detect_encoding(sample: bytes) -> str:
    """utf-8-sig with a BOM, utf-8 when the sample decodes as such, else Windows-1252 (what German
    Excel writes for "CSV (Trennzeichen-getrennt)")."""
    if sample.startswith(_BOM):
        return "utf-8-sig"
    try:
        # final=False: a sample cut in the middle of a multi-byte character is still valid UTF-8
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _field_counts(lines: list[str], delimiter: str) -> list[int]:
    reader = csv.reader(lines, delimiter=delimiter)
    counts = []
    try:
        for record in reader:
            if record:
                counts.append(len(record))
            if len(counts) >= _SNIFF_RECORDS:
                break
    except csv.Error:
        pass  # the sample may end inside a quoted field; what was read so far still counts
    return counts


def detect_delimiter(text: str) -> str:
    """The candidate that splits the header into the most columns, preferring one whose data rows
    agree with the header's width (a comma inside "1.234,56" must not beat the real ';')."""
    lines = text.splitlines(keepends=True)
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample's last line is probably cut off
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = _field_counts(lines, delimiter)
        if not counts or counts[0] < 2:
            continue
        agreeing = sum(1 for c in counts[1:] if c == counts[0])
        score = (agreeing, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _canonical_delimiter(value: str) -> str:
    value = _DELIMITER_NAMES.get(value.lower(), value)
    if value not in DELIMITERS:
        raise ImportFileError(f"unsupported delimiter {value!r}", hint="use one of , ; tab |")
    return value


class Table:
    """An open CSV file: .encoding, .delimiter, .headers; iterating yields (line_number, record)
    where line_number is the physical line the record starts on and record maps header -> str
    (missing trailing fields are ''). Iterate once; close() or use it as a context manager."""

    def __init__(self, path: Path, raw: BinaryIO, encoding: str, delimiter: str):
        self.path, self.encoding, self.delimiter = path, encoding, delimiter
        self._raw = raw
        self._line = 0  # physical lines handed to the csv reader so far
        self._reader = csv.reader(self._lines(), delimiter=delimiter, strict=True)
        self.headers, self.header_line = self._read_headers()
        self._consumed = False

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._raw.close()

    def _lines(self) -> Iterator[str]:
        # utf-8-sig only differs on the first line; decoding each line with it would eat nothing
        # else, but a stray U+FEFF later is data, so only the first line gets the BOM treatment.
        for raw in self._raw:
            self._line += 1
            try:
                text = raw.decode(self.encoding if self._line == 1 else _body_encoding(self.encoding))
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    f"{self.path}:{self._line}: byte 0x{raw[exc.start]:02x} at column {exc.start + 1} is not valid {self.encoding}",
                    hint=_encoding_hint(self.encoding)) from None
            yield text

    def _next_record(self) -> tuple[int, list[str]] | None:
        """The next non-blank record and the line it starts on; None at the end."""
        while True:
            start = self._line + 1
            try:
                record = next(self._reader)
            except StopIteration:
                return None
            except csv.Error as exc:
                raise ImportFileError(f"{self.path}:{start}: {exc}",
                                      hint="a quote that is never closed swallows the lines after it") from None
            if any(field.strip() for field in record):
                return start, record

    def _read_headers(self) -> tuple[tuple[str, ...], int]:
        first = self._next_record()
        if first is None:
            raise ImportFileError(f"{self.path}: the file is empty (no header line)")
        line, raw_headers = first
        headers = [h.strip().lstrip("\ufeff").strip() for h in raw_headers]
        while headers and headers[-1] == "":
            headers.pop()  # Excel's trailing delimiter leaves an empty last header
        for i, header in enumerate(headers, 1):
            if header == "":
                raise ImportFileError(f"{self.path}:{line}: column {i} has no header")
        seen: dict[str, int] = {}
        for i, header in enumerate(headers, 1):
            if header in seen:
                raise ImportFileError(f"{self.path}:{line}: duplicate header {header!r} (columns {seen[header]} and {i})",
                                      hint="rename one of them in the file")
            seen[header] = i
        return tuple(headers), line

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        if self._consumed:
            raise RuntimeError("a Table can be iterated once")
        self._consumed = True
        width = len(self.headers)
        while (item := self._next_record()) is not None:
            line, record = item
            if len(record) > width:
                extra = record[width:]
                if any(field.strip() for field in extra):
                    raise ImportFileError(
                        f"{self.path}:{line}: {len(record)} fields but {width} headers",
                        hint=f"a value containing {_show(self.delimiter)} must be quoted, or pass --delimiter")
                record = record[:width]
            elif len(record) < width:
                record = record + [""] * (width - len(record))
            yield line, dict(zip(self.headers, record))


def _body_encoding(encoding: str) -> str:
    return "utf-8" if encoding == "utf-8-sig" else encoding


def _encoding_hint(encoding: str) -> str:
    if encoding.startswith("utf-8"):
        return "the file is not UTF-8 throughout: save it as UTF-8, or pass --encoding cp1252"
    return "pass --encoding utf-8 (or the file's real encoding)"


def _show(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else repr(delimiter)


def open_table(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None) -> Table:
    """Open a CSV export for streaming; encoding and delimiter are detected unless given."""
    path = Path(path)
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise ImportFileError(f"{path}: {exc.strerror or exc}") from None
    try:
        sample = raw.read(SAMPLE_BYTES)
        if not sample.strip() or sample.strip() == _BOM:
            raise ImportFileError(f"{path}: the file is empty (no header line)")
        encoding = _canonical_encoding(encoding) if encoding else detect_encoding(sample)
        if encoding == "utf-8" and sample.startswith(_BOM):
            encoding = "utf-8-sig"  # --encoding utf-8 on a BOM file: the BOM is not part of the header
        if delimiter:
            delimiter = _canonical_delimiter(delimiter)
        else:
            text = sample.decode(_body_encoding(encoding), errors="replace").lstrip("\ufeff")
            delimiter = detect_delimiter(text)
        raw.seek(0)
        return Table(path, raw, encoding, delimiter)
    except BaseException:
        raw.close()
        raise
