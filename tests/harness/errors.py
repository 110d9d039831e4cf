from pathlib import Path


class SpecError(Exception):
    """Bad input in an author's file: always names the file and, where known, the line."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")
