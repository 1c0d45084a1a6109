"""Reading export files: JSON, JSON Lines, CSV (UTF-8, UTF-8 with BOM, Windows-1251) and XLSX.

Each reader yields `SourceRecord`s with the line they started on and never loads more of a
large file than it must: JSON Lines and CSV are streamed. A file that cannot be parsed at
all raises `BrokenSource` (exit 2) naming the file, line and column.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

from srgcli.exit import ExitCode, SrgError

FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xlsx": "xlsx"}
STDIN = "-"
_SNIFF_BYTES = 1 << 16
_DELIMITERS = (",", ";", "\t")
_CSV_FIELD_LIMIT = 16 * 1024 * 1024

# Python's JSON messages, in Russian (the prefix before any position details).
_JSON_REASONS = {
    "Expecting value": "ожидается значение",
    "Expecting ',' delimiter": "ожидается запятая",
    "Expecting ':' delimiter": "ожидается двоеточие",
    "Expecting property name enclosed in double quotes": "ожидается имя поля в двойных кавычках",
    "Unterminated string starting at": "не закрыта кавычка строки",
    "Invalid control character at": "недопустимый управляющий символ в строке",
    "Invalid \\escape": "неверная escape-последовательность",
    "Invalid \\uXXXX escape": "неверная escape-последовательность \\uXXXX",
    "Extra data": "лишние данные после конца документа",
}


class BrokenSource(SrgError):
    """A file that cannot be read at all; nothing from the batch is written."""

    def __init__(self, source: str, reason: str, line: int | None = None, col: int | None = None):
        where = source
        if line is not None:
            where += f", строка {line}"
            if col is not None:
                where += f", столбец {col}"
        super().__init__(
            f"{where}: {reason}.",
            ExitCode.USAGE,
            hint="Файл не загружен; в рабочей папке ничего не изменено.",
        )
        self.source = source
        self.line = line
        self.col = col


class SourceRecord(NamedTuple):
    """One record as read: where it came from and its parsed value (a dict, if well formed)."""

    source: str
    line: int | None
    data: Any
    # Its number in a JSON array, from 1: several records may start on one line.
    position: int | None = None


class Reader:
    """Reads one source; `position` and `size` (bytes) feed a progress bar."""

    def __init__(self, name: str, fmt: str, stream: IO[bytes], size: int | None) -> None:
        self.name = name
        self.format = fmt
        self.stream = stream
        self.size = size
        # Things to tell the user about the source that went in (line, message), e.g. a
        # formula cell without a saved value.
        self.warnings: list[tuple[int | None, str]] = []

    @property
    def position(self) -> int:
        """Bytes consumed so far (approximate: read-ahead included)."""
        try:
            return int(self.stream.tell())
        except (OSError, ValueError):
            return 0

    def records(self) -> Iterator[SourceRecord]:
        """The records of the source, in order."""
        if self.format == "json":
            return _json_records(self.name, self.stream.read())
        if self.format == "jsonl":
            return _jsonl_records(self.name, self.stream)
        if self.format == "csv":
            return _csv_records(self.name, self.stream)
        if self.format == "xlsx":
            from srgcli.fetch.xlsx import xlsx_records

            return xlsx_records(self.name, self.stream, self.warnings)
        if self.format == "stdin":
            return _stdin_records(self.name, self.stream.read())
        raise AssertionError(self.format)

    @property
    def empty(self) -> str | None:
        """How the source writes an empty value: "" in a CSV cell, null (or nothing) in JSON."""
        return "" if self.format == "csv" else None

    def close(self) -> None:
        """Close the underlying file (not stdin)."""
        if self.format != "stdin":
            self.stream.close()


def format_of(path: Path) -> str:
    """The format of a file by its extension, or an SrgError listing the supported ones."""
    fmt = FORMATS.get(path.suffix.casefold())
    if fmt is None:
        raise SrgError(
            f"{path}: неизвестный формат файла «{path.suffix or 'без расширения'}».",
            ExitCode.USAGE,
            hint="Поддерживаются .json, .jsonl, .csv и .xlsx; «-» — JSON со стандартного ввода.",
        )
    return fmt


def open_source(name: str, stdin: IO[bytes] | None = None) -> Reader:
    """A reader for a file path or '-' (JSON or JSON Lines on stdin)."""
    if name == STDIN:
        if stdin is None:
            import sys

            stdin = sys.stdin.buffer
        return Reader("стандартный ввод", "stdin", stdin, None)
    path = Path(name)
    fmt = format_of(path)
    try:
        stream = path.open("rb")
        size = path.stat().st_size
    except FileNotFoundError:
        raise SrgError(f"Файл {name} не найден.", ExitCode.USAGE) from None
    except IsADirectoryError:
        raise SrgError(f"{name} — это папка, а не файл.", ExitCode.USAGE) from None
    except OSError as exc:
        raise SrgError(f"Не удалось открыть {name}: {exc.strerror}.", ExitCode.USAGE) from None
    return Reader(name, fmt, stream, size)


# --- JSON ---------------------------------------------------------------------------------


def _json_reason(exc: json.JSONDecodeError) -> str:
    for english, russian in _JSON_REASONS.items():
        if exc.msg.startswith(english):
            return f"ошибка JSON: {russian}"
    return "ошибка JSON"


def _decode(name: str, data: bytes) -> str:
    if _looks_binary(data[:_SNIFF_BYTES]):
        raise BrokenSource(name, "двоичные данные, а не текст JSON", *_byte_position(data, 0))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(data, exc.start)
        raise BrokenSource(name, "текст не в кодировке UTF-8", line, col) from None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def _text_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _skip_ws(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i] in " \t\r\n":
        i += 1
    return i


def _json_records(name: str, data: bytes) -> Iterator[SourceRecord]:
    """An array of records, or an object whose "tickets" key holds one; lines kept.

    An empty file (or only white space) holds no records, like an empty CSV or JSON Lines file.
    """
    text = _decode(name, data)
    decoder = json.JSONDecoder()
    try:
        i = _skip_ws(text, 0)
        if i == len(text):
            return
        if text[i] == "[":
            end = yield from _json_array(name, text, i, decoder)
        elif text[i] == "{":
            end = yield from _json_object(name, text, i, decoder)
        else:
            line, col = _text_position(text, i)
            raise BrokenSource(
                name, "ожидается массив заявок или объект с ключом «tickets»", line, col
            )
        end = _skip_ws(text, end)
        if end != len(text):
            line, col = _text_position(text, end)
            raise BrokenSource(name, "лишние данные после конца документа", line, col)
    except json.JSONDecodeError as exc:
        raise BrokenSource(name, _json_reason(exc), exc.lineno, exc.colno) from None
    except RecursionError:
        raise BrokenSource(name, "слишком глубокая вложенность JSON") from None
    except ValueError as exc:  # e.g. an integer with thousands of digits
        raise BrokenSource(name, f"неверное значение JSON ({type(exc).__name__})") from None


def _expect(name: str, text: str, i: int, chars: str) -> str:
    if i >= len(text) or text[i] not in chars:
        line, col = _text_position(text, min(i, len(text)))
        wanted = " или ".join(f"«{c}»" for c in chars)
        raise BrokenSource(name, f"ошибка JSON: ожидается {wanted}", line, col)
    return text[i]


def _json_array(
    name: str, text: str, i: int, decoder: json.JSONDecoder
) -> Generator[SourceRecord, None, int]:
    """Yield the array's elements with their lines; returns the index after "]"."""
    i = _skip_ws(text, i + 1)
    line, last, position = 1, 0, 0
    if i < len(text) and text[i] == "]":
        return i + 1
    while True:
        line += text.count("\n", last, i)
        last = i
        position += 1
        value, i = decoder.raw_decode(text, i)
        yield SourceRecord(name, line, value, position=position)
        i = _skip_ws(text, i)
        if _expect(name, text, i, ",]") == "]":
            return i + 1
        i = _skip_ws(text, i + 1)


def _json_object(
    name: str, text: str, i: int, decoder: json.JSONDecoder
) -> Generator[SourceRecord, None, int]:
    """Yield the records of the object's "tickets" array; returns the index after "}"."""
    i = _skip_ws(text, i + 1)
    found = False
    if i < len(text) and text[i] == "}":
        i += 1
    else:
        while True:
            _expect(name, text, i, '"')
            key, i = decoder.raw_decode(text, i)
            i = _skip_ws(text, i)
            _expect(name, text, i, ":")
            i = _skip_ws(text, i + 1)
            if key == "tickets" and i < len(text) and text[i] == "[":
                found = True
                i = yield from _json_array(name, text, i, decoder)
            else:
                _, i = decoder.raw_decode(text, i)
            i = _skip_ws(text, i)
            if _expect(name, text, i, ",}") == "}":
                i += 1
                break
            i = _skip_ws(text, i + 1)
    if not found:
        raise BrokenSource(name, "в объекте JSON нет массива «tickets»")
    return i


def _jsonl_records(name: str, stream: IO[bytes]) -> Iterator[SourceRecord]:
    """One JSON value per line; blank lines skipped."""
    loads = json.loads
    for number, raw in enumerate(stream, start=1):
        if number == 1:
            if _looks_binary(raw[:_SNIFF_BYTES]):
                raise BrokenSource(name, "двоичные данные, а не JSON Lines", 1, 1)
            if raw.startswith(codecs.BOM_UTF8):
                raw = raw[3:]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BrokenSource(name, "текст не в кодировке UTF-8", number, exc.start + 1) from None
        if not line or line.isspace():
            continue
        try:
            value = loads(line)
        except json.JSONDecodeError as exc:
            raise BrokenSource(name, _json_reason(exc), number, exc.colno) from None
        except RecursionError:
            raise BrokenSource(name, "слишком глубокая вложенность JSON", number) from None
        except ValueError as exc:
            raise BrokenSource(
                name, f"неверное значение JSON ({type(exc).__name__})", number
            ) from None
        yield SourceRecord(name, number, value)


def _stdin_records(name: str, data: bytes) -> Iterator[SourceRecord]:
    """JSON (array or {"tickets": …}) or JSON Lines, told apart by the content."""
    text = _decode(name, data)
    start = _skip_ws(text, 0)
    if start < len(text) and text[start] == "[":
        return _json_records(name, data)
    if start < len(text) and text[start] == "{":
        try:
            whole = json.loads(text)
        except (ValueError, RecursionError):
            whole = None
        if isinstance(whole, dict) and "tickets" in whole:
            return _json_records(name, data)
    return _jsonl_records(name, io.BytesIO(text.encode("utf-8")))


def _first_control(head: bytes) -> int:
    """Where the first NUL (or else the first control character) of `head` is."""
    found = head.find(b"\x00")
    if found < 0:
        found = next((i for i, b in enumerate(head) if b < 32 and b not in (9, 10, 12, 13)), 0)
    return found


def _looks_binary(head: bytes) -> bool:
    """NUL bytes or many control characters: not a text export."""
    if b"\x00" in head:
        return True
    if not head:
        return False
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control > max(2, len(head) // 100)


# --- CSV ----------------------------------------------------------------------------------


def detect_encoding(head: bytes) -> str:
    """UTF-8 with BOM, UTF-8, or Windows-1251 (the usual encoding of Russian Excel exports)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is still UTF-8.
        if exc.reason != "unexpected end of data" or exc.start < len(head) - 3:
            return "cp1251"
    return "utf-8"


def sniff_delimiter(first_line: str) -> str:
    """The delimiter of a header line: the most frequent of `,` `;` tab outside quotes."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_records(name: str, stream: IO[bytes]) -> Iterator[SourceRecord]:
    """Rows as {header: value}; the line is where the row starts."""
    head = stream.read(_SNIFF_BYTES)
    if _looks_binary(head):
        raise BrokenSource(
            name, "двоичные данные, а не текст CSV", *_byte_position(head, _first_control(head))
        )
    encoding = detect_encoding(head)
    if encoding == "cp1251":
        _refuse_mixed_head(name, head)
    first = head.decode(encoding, errors="replace").splitlines()
    delimiter = sniff_delimiter(first[0] if first else "")
    stream.seek(0)
    # A long complaint text may exceed the csv module's default 128 KiB field limit; the
    # workspace's own bound ([fetch] max_field_chars) rejects the record, not the file.
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    reader = csv.reader(_decoded_lines(name, stream, encoding), delimiter=delimiter)
    header: list[str] | None = None
    previous = 0
    try:
        for row in reader:
            start, previous = previous + 1, reader.line_num
            if header is None:
                header = [h.strip() for h in row]
                continue
            if not any(row):
                continue
            if previous > start:
                _check_quoting(name, row, header, start, delimiter)
            yield SourceRecord(name, start, dict(zip(header, row, strict=False)))
    except csv.Error as exc:
        raise BrokenSource(name, _csv_reason(exc), reader.line_num) from None


def _decoded_lines(name: str, stream: IO[bytes], encoding: str) -> Iterator[str]:
    """The file's physical lines, decoded one by one, so that an encoding error names its
    own line and column. In a Windows-1251 file, a line that is valid UTF-8 is refused too:
    two encodings in one file would otherwise load as mojibake."""
    plain = "utf-8" if encoding == "utf-8-sig" else encoding
    number = 0
    for chunk in stream:
        # Lines ended by a lone CR (Excel's "CSV (Macintosh)") are lines too.
        pieces = chunk.splitlines(keepends=True) if chunk.find(b"\r", 0, -2) >= 0 else (chunk,)
        for raw in pieces:
            number += 1
            try:
                line = raw.decode(encoding if number == 1 else plain)
            except UnicodeDecodeError as exc:
                column = len(raw[: exc.start].decode(plain, errors="replace")) + 1
                raise BrokenSource(
                    name, f"текст не в кодировке {_encoding_name(encoding)}", number, column
                ) from None
            if plain == "cp1251" and _UTF8_CYRILLIC.search(raw) and _is_utf8(raw):
                raise BrokenSource(name, _MIXED, number)
            yield line


# A Cyrillic letter in UTF-8 (rare as a pair in Windows-1251 text): worth a full check.
_UTF8_CYRILLIC = re.compile(rb"[\xd0\xd1][\x80-\xbf]")
_MIXED = "строка в кодировке UTF-8, а файл в Windows-1251: в файле смешаны кодировки"


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _refuse_mixed_head(name: str, head: bytes) -> None:
    """A file whose first lines are UTF-8 (with letters beyond ASCII) and a later one is not:
    refused at the first line that is not UTF-8, rather than read as Windows-1251."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not head[: exc.start].isascii():
            line, _ = _byte_position(head, exc.start)
            start = head.rfind(b"\n", 0, exc.start) + 1
            column = len(head[start : exc.start].decode("utf-8", errors="replace")) + 1
            raise BrokenSource(
                name,
                "текст не в кодировке UTF-8, как строки выше: в файле смешаны кодировки",
                line,
                column,
            ) from None


# An embedded line that reads as a record of its own: a short id-like first cell.
_RECORD_START = re.compile(r'\s*"?[\w№#/.-]*\d[\w№#/.-]*"?$')


def _check_quoting(
    name: str, row: list[str], header: list[str], start: int, delimiter: str
) -> None:
    """Refuse a row whose quoted field ran over the following rows: an unbalanced quote.

    A field spanning lines is normal (a complaint in paragraphs); one whose later lines
    begin with an id-like cell followed by the delimiter, with as many delimiters as a row
    has (half as many when the row itself came out short), swallowed records. The error
    names the line where the quote opened.
    """
    # A complete row swallowed whole ones (a later stray quote closed the field); a short
    # row lost its own cells to the open field, so any record-like line is telling.
    needed = len(header) - 1 if len(row) >= len(header) else max(1, (len(header) - 1) // 2)
    line = start
    for index, value in enumerate(row):
        if "\n" in value:
            for embedded in value.split("\n")[1:]:
                first, found, _ = embedded.partition(delimiter)
                if (
                    found
                    and embedded.count(delimiter) >= needed
                    and len(first) <= 64
                    and _RECORD_START.match(first)
                ):
                    column = header[index] if index < len(header) else f"№{index + 1}"
                    raise BrokenSource(
                        name,
                        f"не закрыта кавычка в поле «{column}»: оно поглотило следующие строки "
                        "файла, похожие на отдельные записи; проверьте кавычки в этой строке",
                        line,
                    )
        line += value.count("\n")


def _csv_reason(exc: csv.Error) -> str:
    """The csv module's error in Russian."""
    text = str(exc)
    if "field larger than field limit" in text:
        return f"поле длиннее {_CSV_FIELD_LIMIT:,} символов".replace(",", "\u00a0")
    if "new-line character seen in unquoted field" in text:
        return "перевод строки внутри поля без кавычек"
    if "unexpected end of data" in text:
        return "файл оборвался внутри поля в кавычках"
    return "ошибка CSV"


def _encoding_name(encoding: str) -> str:
    return "Windows-1251" if encoding == "cp1251" else "UTF-8"
