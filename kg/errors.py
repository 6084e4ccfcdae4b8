"""Errors that tell a curator exactly where the problem is and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DataProblem:
    """One problem in one record of one file."""

    file: str
    record: str
    problem: str
    fix: str = ""
    line: int | None = None  # the record's (or fact's) line in the file, where known

    @property
    def where(self) -> str:
        """``file:line`` as editors and terminals link it."""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        text = f"{self.where}: {self.record}: {self.problem}"
        return f"{text} (fix: {self.fix})" if self.fix else text


class BuildError(Exception):
    """A build (or validation) failed; carries every problem found, not just the first."""

    def __init__(self, stage: str, problems: list[DataProblem] | None = None, detail: str = "") -> None:
        self.stage = stage
        self.problems = problems or []
        self.detail = detail
        lines = [f"{stage} failed"]
        lines += [f"  - {p}" for p in self.problems]
        if detail:
            lines.append(detail)
        super().__init__("\n".join(lines))
