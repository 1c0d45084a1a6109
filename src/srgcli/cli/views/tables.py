"""Rich tables that fit the terminal: columns give way in a chosen order, ticket ids fold.

Left to itself Rich narrows all columns alike when a table is too wide, cutting statuses and
deadlines to "за…" and ids to a few letters; a table passed through `fit_columns` narrows
only the columns it names, in their order, each down to its floor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Column, Table

# The ticket id column: what the user copies into the next command, so it is never cut.
ID_HEADER = "Заявка"


def fit_columns(table: Table, console: Console, shrink_order: Sequence[tuple[str, int]]) -> None:
    """Narrow the columns named in `shrink_order` (header, floor), in that order, until the
    table fits the console. A narrowed id column folds over lines instead of being cut."""
    from rich.measure import Measurement

    widths = {str(c.header): natural_width(c) for c in table.columns}
    unbounded = console.options.update_width(10 * console.width)
    overhead = Measurement.get(console, unbounded, table).maximum - sum(widths.values())
    excess = sum(widths.values()) + overhead - console.width
    narrowed: dict[str, int] = {}
    for header, floor in shrink_order:
        if excess <= 0:
            break
        cut = min(excess, widths.get(header, 0) - floor)
        if cut > 0:
            widths[header] -= cut
            narrowed[header] = widths[header]
            excess -= cut
    for column in table.columns:
        if column.header in narrowed:
            column.width = narrowed[str(column.header)]
            column.min_width = column.max_width = None
            if column.header == ID_HEADER:
                column.no_wrap = False
                column.overflow = "fold"


def natural_width(column: Column) -> int:
    """The widest line of a column of markup strings, within its max_width."""
    from rich.text import Text

    lines = [str(column.header)]
    for cell in column.cells:
        lines.extend(str(cell).split("\n"))
    widest = max(Text.from_markup(line).cell_len for line in lines)
    return min(widest, column.max_width) if column.max_width else widest
