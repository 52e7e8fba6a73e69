"""The one CSV writer of the project: every CSV made for a spreadsheet goes through here, so a
cell that a spreadsheet would run as a formula (CSV injection) is defused in one place.

The rule is OWASP's: a text cell starting with =, +, -, @, a tab or a carriage return gets a
leading apostrophe. Only text is escaped: a number (a longitude of -0.5, a signed change) is data
and is written as it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """`value`, with an apostrophe in front if it is text a spreadsheet would take as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows_to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """Rows as CSV for Excel: UTF-8 with a BOM (so Vietnamese shows correctly), CRLF lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """A DataFrame as CSV (UTF-8 with a BOM, no index); numeric columns are written as they are,
    the text cells of the others are escaped."""
    table = frame.copy()
    for name in table.columns:
        if not pd.api.types.is_numeric_dtype(table[name]):
            table[name] = table[name].map(safe_cell)
    return table.to_csv(index=False).encode("utf-8-sig")
