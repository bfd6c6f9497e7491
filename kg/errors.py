"""Errors raised by the build; each message says what is wrong, where, and how to fix it."""

from __future__ import annotations

from pathlib import Path


class KGError(Exception):
    """Base class of every error the build raises on purpose."""


class ContentError(KGError, ValueError):
    """A curated table row is malformed: names the file, row and field."""

    def __init__(self, path: Path | str, row: int | None, field: str | None, message: str) -> None:
        self.path = Path(path)
        self.row = row
        self.field = field
        self.message = message
        where = str(self.path)
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")


class InvalidContentError(KGError):
    """Several content errors, collected so a curator sees them all at once."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        lines = "\n".join(f"  - {e}" for e in errors)
        super().__init__(f"{len(errors)} content error(s):\n{lines}")


class ShapeViolationError(KGError):
    """The built graph does not conform to the SHACL shapes."""

    def __init__(self, report_text: str, violations: int) -> None:
        self.report_text = report_text
        self.violations = violations
        super().__init__(f"SHACL validation failed with {violations} violation(s):\n{report_text}")
