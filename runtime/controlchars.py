"""Control characters (C0, DEL and C1): what breaks a line or a column of a table printed to
an operator's terminal, or rewrites it as an escape sequence."""

import re

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
