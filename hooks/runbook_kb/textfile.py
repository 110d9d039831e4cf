"""Reading an author's file, the one way the build and the labs read them: a regular file inside the project,
UTF-8, and not larger than any source here has reason to be. A FIFO would hang the reader, a link out of the
project would publish what it points to, and a stray byte would end in a traceback naming no file."""

from __future__ import annotations

import stat
from pathlib import Path

from .errors import SpecError

MAX_BYTES = 64 * 1024 * 1024


def read_text(path: Path, root: Path | None = None) -> str:
    """The file's text; a SpecError naming the file (and, for a byte that is not UTF-8, its line) when it is
    not a regular file, resolves outside `root`, is too large or is not UTF-8."""
    if root is not None and not path.resolve().is_relative_to(root.resolve()):
        raise SpecError(path, None, f"is a link to {path.resolve()}, outside {root.resolve().name}/, where it must be")
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SpecError(path, None, "is a link to nothing" if path.is_symlink() else "does not exist") from None
    except OSError as exc:
        raise SpecError(path, None, f"cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise SpecError(path, None, "is not a regular file" + (" but a folder" if stat.S_ISDIR(info.st_mode) else ""))
    if info.st_size > MAX_BYTES:
        raise SpecError(path, None, f"is {info.st_size} bytes, more than the {MAX_BYTES} a source may have")
    data = path.read_bytes()
    try:
        # As Python's text mode reads it (CRLF and CR end a line), less the byte-order mark MkDocs drops too.
        return data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SpecError(path, line, f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8") from None
