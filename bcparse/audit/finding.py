"""Findings and the catalogue of codes the audit reports (documented in docs/audit.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from ..errors import BcparseError

Severity = Literal["error", "warning", "info"]


class Related(BaseModel):
    """Another place a finding involves (the other report's figure, the other figures of a sum)."""

    file: str | None = None
    line: int | None = None
    col: int | None = None
    key: str | None = None
    value: Any = None


class Finding(BaseModel):
    """One problem, pointed at: ``file:line:col: CODE message``."""

    code: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    col: int | None = None
    keys: list[str | None] = []  # the figures involved, the first one is where the finding points
    values: list[Any] = []  # their values, in the same order as keys
    check: str | None = None  # the grammar relation id, or the name of the built-in check
    related: list[Related] = []  # where the other figures involved are (other lines, other reports)

    def text(self) -> str:
        """The linter line: ``file:line:col: CODE message``."""
        return f"{self.file or '-'}:{self.line or 1}:{self.col or 1}: {self.code} {self.message}"


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    title: str


CODES: dict[str, Code] = {c.code: c for c in (
    # arithmetic within a report
    Code("BC101", "error", "parts do not add up to their total"),
    Code("BC102", "error", "a stated count differs from the number of items listed"),
    Code("BC103", "error", "count x unit value differs from the stated total"),
    Code("BC104", "error", "a share over 100%"),
    Code("BC105", "error", "a percentage that does not match its base"),
    Code("BC106", "error", "a part larger than its whole"),
    # section numbering
    Code("BC201", "warning", "section number repeated"),
    Code("BC202", "warning", "section number skipped"),
    Code("BC203", "warning", "section number out of order"),
    # header, dates, document identity
    Code("BC301", "warning", "document number left blank"),
    Code("BC302", "warning", "day, month or year of the date left blank"),
    Code("BC303", "error", "a date that cannot exist"),
    Code("BC304", "error", "a referenced document dated after the report"),
    Code("BC305", "warning", "ký hiệu that breaks the state format"),
    Code("BC306", "warning", "place name of the date line left blank"),
    # across reports
    Code("BC401", "warning", "the same figure differs between two reports of the same commune and period"),
    Code("BC402", "warning", "year-over-year change beyond the grammar's threshold"),
    Code("BC403", "error", "the same document identity on two different reports"),
    # reading
    Code("BC501", "warning", "uncertain figure, check the scan (OCR confidence under the threshold)"),
)}


def make(code: str, message: str, *, file: str | None, line: int | None, col: int | None,
         keys: Iterable[str | None] = (), values: Iterable[Any] = (), check: str | None = None,
         related: Iterable[Related] = ()) -> Finding:
    return Finding(code=code, severity=CODES[code].severity, message=message, file=file, line=line, col=col,
                   keys=list(keys), values=list(values), check=check, related=list(related))


def parse_codes(spec: str | Iterable[str] | None) -> list[str] | None:
    """"BC101,BC2" or ["BC101", "BC2"] → upper-case prefixes; unknown prefixes are an error."""
    if spec is None:
        return None
    items = spec.split(",") if isinstance(spec, str) else [p for s in spec for p in str(s).split(",")]
    out: list[str] = []
    for raw in items:
        p = raw.strip().upper()
        if not p:
            continue
        if p != "ALL" and not any(c.startswith(p) for c in CODES):
            raise BcparseError(f"unknown audit code {raw.strip()!r} (known: {', '.join(CODES)})")
        out.append(p)
    return out


def selected(code: str, select: list[str] | None, ignore: list[str] | None) -> bool:
    """Like ruff: a code is reported when some selector is a prefix of it and no ignore is."""
    def hit(prefixes: list[str]) -> bool:
        return any(p == "ALL" or code.startswith(p) for p in prefixes)

    if select is not None and not hit(select):
        return False
    return not (ignore and hit(ignore))
