"""Tables in model outputs (CSV, TSV, pipe and semicolon separated lines, a SQL client's
result): an export names its values once, in the header above them, not beside each. The
national ids and the password columns are both read by their header cell."""

from __future__ import annotations

import re

RULE_ROW = re.compile(r"[\s\-=+:|]*")  # "-----+-----" under a SQL result's header
# A line of code, whose commas separate arguments, not cells: a call, an arrow, a statement.
_CODE = re.compile(r"[A-Za-z_]\w*\(|=>|[;{]\s*$|\b(?:const|let|var|await|return)\s")


def column_header(text: str, start: int) -> str:
    """The header cell above the value at ``start`` in a table (comma, tab, pipe or semicolon
    separated lines), or "" when the value is in no table."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    sep = next((c for c in ",\t|;" if c in line), None)
    if sep is None or _CODE.search(line):
        return ""
    column = line.count(sep, 0, start - line_start)
    header, pos = "", line_start
    while pos > 0:
        above = text.rfind("\n", 0, pos - 1) + 1
        row = text[above : pos - 1]
        if sep in row:
            header = row
        elif not (row and RULE_ROW.fullmatch(row)):
            break
        pos = above
    cells = header.split(sep)
    return cells[column] if column < len(cells) else ""
