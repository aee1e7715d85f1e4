"""The one exception the importer raises: a Chinese message that names the file, and a hint."""

from __future__ import annotations


class PlanImportError(Exception):
    """Input the importer cannot use (missing, unreadable, empty, binary, a broken .docx …).

    Not to be confused with Python's ImportError: this is about importing a *plan*.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message + (f"\n    提示：{self.hint}" if self.hint else "")
