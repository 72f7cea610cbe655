"""Secrets an install needs and nobody has to set by hand: the key that signs bearer tokens
and the key behind victims' pseudonyms. Set, a key is used as given (32 bytes at least);
unset, each install makes its own random key on first use, in a file only its user may
read. No key is ever written in the code: one there let anyone who read it sign an
administrator's token, or turn a pseudonym back into a reporter's own victim reference."""

import os
import secrets
import time
from functools import lru_cache
from pathlib import Path

MIN_SECRET_BYTES = 32


# Relative key files are kept under the checkout, whatever directory a process starts in:
# read from the working directory, a worker started elsewhere made a key of its own and
# named every victim differently from the API.
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def configured_or_install_secret(configured: str | None, path: str, setting: str) -> str:
    """`configured` (the setting's value, named `setting` in errors), or the install's own
    key kept at `path` (relative to the checkout unless absolute)."""
    if configured is not None:
        if len(configured.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"{setting} must be at least {MIN_SECRET_BYTES} bytes")
        return configured
    return install_secret((PROJECT_ROOT / path).resolve())


@lru_cache(maxsize=8)
def install_secret(path: Path) -> str:
    """The key kept at `path`, made there first if there is none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Exclusive: of the processes starting at once (API, worker, CLI), one writes the key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(MIN_SECRET_BYTES))
    for _ in range(50):  # another process may have made the file and not yet written it
        key = path.read_text().strip()
        if len(key) >= MIN_SECRET_BYTES:
            return key
        time.sleep(0.02)
    raise ValueError(f"{path} holds no key of {MIN_SECRET_BYTES} bytes: remove it")
