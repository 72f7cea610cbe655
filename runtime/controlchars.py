"""Control characters (C0, DEL and C1): what breaks a line or a column of a table printed to
an operator's terminal, or rewrites it as an escape sequence."""

import re

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def escaped(text: str) -> str:
    """The text with its control characters written as Python writes them ('\\x1b', '\\n')."""
    return CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text)
