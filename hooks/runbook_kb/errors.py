from pathlib import Path


def shown(path: Path | str) -> str:
    """A path as an author reads it in a message: relative to where they ran the command, when it is under it."""
    path = Path(path)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return str(path.relative_to(Path.cwd()))
    return str(path)


class SpecError(Exception):
    """Bad input in an author's file: always names the file and, where known, the line."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        where = f"{shown(path)}:{line}" if line else shown(path)
        super().__init__(f"{where}: {message}")
