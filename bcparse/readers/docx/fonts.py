"""Legacy fonts: runs in a TCVN3 (.VnTime …) or VNI font are converted to Unicode with
:mod:`bcparse.legacy_encodings`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ... import legacy_encodings

_FONT_CACHE: dict[str, tuple[str, bool] | None] = {}  # font name → legacy encoding, across reads


def _legacy() -> tuple[Callable[..., Any], Callable[..., str]] | None:
    """``(font_encoding, convert)`` of :mod:`bcparse.legacy_encodings`, looked up when a read
    starts (tests replace them)."""
    fe = getattr(legacy_encodings, "font_encoding", None)
    cv = getattr(legacy_encodings, "convert", None)
    return (fe, cv) if callable(fe) and callable(cv) else None


class LegacyFonts:
    """The legacy encoding of each font one read meets (``(encoding, capitals)`` or None), and the
    conversion of runs in such a font; a legacy-looking font left unconverted adds a warning."""

    def __init__(self, warnings: list[str]) -> None:
        self.warnings = warnings
        self._fonts: dict[str, tuple[str, bool] | None] = {}
        self._legacy = _legacy()

    def encoding(self, font: str) -> tuple[str, bool] | None:
        if font in self._fonts:
            return self._fonts[font]
        res: tuple[str, bool] | None = None
        if font in _FONT_CACHE:
            res = _FONT_CACHE[font]
        elif self._legacy:
            found = self._legacy[0](font)  # legacy_encodings.font_encoding: any name, None when unknown
            if found:
                res = (str(found[0]), bool(found[1]))
            if len(_FONT_CACHE) < 4096:
                _FONT_CACHE[font] = res
        elif font.startswith((".Vn", "VNI", "VN-", "Vn")):
            self.warnings.append(f"text in the legacy font {font} is left unconverted (no converter available)")
        self._fonts[font] = res
        return res

    def convert(self, text: str, enc: tuple[str, bool]) -> str | None:
        """``text`` of a run in a font of encoding ``enc`` as Unicode; None without a converter
        (legacy_encodings.convert takes any string: unknown characters pass through)."""
        if not self._legacy:
            return None
        return self._legacy[1](text, enc[0], upper=enc[1])

