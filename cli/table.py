"""Readable fixed-width tables for a terminal."""

from collections.abc import Sequence
from typing import Any

from runtime.controlchars import escaped


def render(rows: Sequence[dict[str, Any]], columns: Sequence[str], max_width: int = 40) -> str:
    """Rows as an aligned table with a header; long cells are cut with an ellipsis."""
    if not rows:
        return "(none)"
    cells = [[_cell(row.get(col), max_width) for col in columns] for row in rows]
    widths = [max(len(col), *(len(line[i]) for line in cells)) for i, col in enumerate(columns)]
    header = "  ".join(col.upper().ljust(w) for col, w in zip(columns, widths, strict=True))
    body = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in cells]
    return "\n".join([header, "  ".join("-" * w for w in widths), *body])


# Control characters as they would be written in Python ('\x1b', '\n'): printed raw, an
# escape sequence or a line break that someone put into a searched value or a purpose broke
# or rewrote rows of an administrator's audit table.


def _cell(value: Any, max_width: int) -> str:
    text = (
        ""
        if value is None
        else ", ".join(map(str, value))
        if isinstance(value, list)
        else str(value)
    )
    text = escaped(text)
    return text if len(text) <= max_width else text[: max_width - 1] + "…"
