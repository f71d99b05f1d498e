"""One position index over a text view: offsets ↔ (line, column).

A span is an offset and a length into the text view (:class:`bcparse.models.Span`); its 1-based
line and column are derived from the one :class:`TextIndex` kept with the text (a
:class:`~bcparse.document.Document` builds it once, a :class:`~bcparse.models.Report` keeps one
for its text). Nothing else recomputes line starts.
"""

from __future__ import annotations

import bisect
from typing import Any

__all__ = ["TextIndex"]


class TextIndex:
    """Line starts of ``text``: ``line_col(offset)`` and ``offset(line, col)``, both 1-based."""

    __slots__ = ("text", "starts")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        i = text.find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = text.find("\n", i + 1)
        self.starts = starts

    def __len__(self) -> int:
        """The number of lines."""
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """1-based line that holds ``offset``."""
        return bisect.bisect_right(self.starts, offset)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a 0-based offset."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1

    def offset(self, line: int, col: int) -> int | None:
        """0-based offset of a 1-based (line, column); None for a line the text does not have."""
        if line < 1 or line > len(self.starts):
            return None
        return self.starts[line - 1] + col - 1

    def line_start(self, line: int) -> int:
        return self.starts[line - 1]

    def line_text(self, line: int) -> str:
        """The text of a 1-based line ("" beyond the end)."""
        if line < 1 or line > len(self.starts):
            return ""
        s = self.starts[line - 1]
        e = self.text.find("\n", s)
        return self.text[s:] if e < 0 else self.text[s:e]

    def start_of(self, span: Any) -> int | None:
        """The offset a span starts at: its own ``offset``, or (a span stored without one) derived
        from its line and column."""
        if span.offset is not None:
            return int(span.offset)
        return self.offset(span.line, span.col)

    def span_of(self, f: Any) -> tuple[int, int] | None:
        """[start, end) of a figure (or anything with a ``span``) in the text, when it lies inside."""
        s = self.start_of(f.span) if self.text else None
        if s is None or s > len(self.text):
            return None
        return s, min(s + f.span.length, len(self.text))
