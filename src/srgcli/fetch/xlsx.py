"""Reading XLSX exports: the first sheet, its first non-empty row as the header.

Values are read as Excel saved them (`data_only`): a formula cell whose value was never saved
(the file written by a program, not by Excel) reads as empty, and is named in a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import IO, Any

from srgcli.fetch.files import BrokenSource, SourceRecord

# A line of the sheet and what to tell the user about it.
Note = tuple[int | None, str]


def cell_text(value: Any) -> str | float | None:
    """A spreadsheet cell as text: whole numbers without ".0", dates in ISO form.

    A fractional or huge number stays a number, so that it cannot pass for a ticket id
    (1.5e300 is no 301-digit id); as a field's value it is written as received.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2.0**53 else value
    if isinstance(value, datetime):
        if value.time() == time(0, 0) and value.tzinfo is None:
            # A date cell: Excel stores it as midnight. As text it is a date, so a deadline
            # means the end of that working day, as it does when the export is a CSV.
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def xlsx_records(name: str, stream: IO[bytes], warnings: list[Note]) -> Iterator[SourceRecord]:
    """Rows of the first sheet; the first non-empty row is the header."""
    import zipfile

    try:
        from openpyxl import load_workbook

        formulas = _has_formulas(stream)
        stream.seek(0)
        book = load_workbook(stream, read_only=True, data_only=True)
        # The formulas themselves, read beside the values to tell an empty cell from a
        # formula whose value was never saved.
        stream.seek(0)
        source = load_workbook(stream, read_only=True) if formulas else None
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, EOFError) as exc:
        raise BrokenSource(name, f"файл Excel повреждён или это не .xlsx ({_why(exc)})") from None
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise BrokenSource(name, f"файл Excel повреждён ({_why(exc)})") from None
    try:
        if not book.worksheets:
            return
        sheet = book.worksheets[0]
        header: list[str] | None = None
        cells_of = iter(source.worksheets[0].iter_rows()) if source is not None else None
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if cells_of is not None:
                _warn_unsaved(row, next(cells_of, ()), number, warnings)
            cells = [cell_text(v) for v in row]
            if all(c is None or c == "" for c in cells):
                continue
            if header is None:
                header = [("" if c is None else str(c)).strip() for c in cells]
                continue
            yield SourceRecord(name, number, dict(zip(header, cells, strict=False)))
    except BrokenSource:
        raise
    except Exception as exc:
        raise BrokenSource(name, f"файл Excel повреждён ({_why(exc)})") from None
    finally:
        book.close()
        if source is not None:
            source.close()


def _warn_unsaved(
    values: tuple[Any, ...], cells: tuple[Any, ...], number: int, warnings: list[Note]
) -> None:
    for value, cell in zip(values, cells, strict=False):
        if value is None and getattr(cell, "data_type", None) == "f":
            warnings.append(
                (
                    number,
                    f"ячейка {cell.coordinate}: формула без сохранённого значения, загружено "
                    "пустое значение; откройте файл в Excel и сохраните его, чтобы значения "
                    "формул были вычислены",
                )
            )


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formulas(stream: IO[bytes]) -> bool:
    """True when a worksheet of the file has a formula (read without parsing its XML)."""
    import zipfile

    with zipfile.ZipFile(stream) as package:
        for info in package.infolist():
            if not info.filename.startswith("xl/worksheets/"):
                continue
            with package.open(info) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    if _FORMULA.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _why(exc: BaseException) -> str:
    return type(exc).__name__
