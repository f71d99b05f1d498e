"""Decoding report bytes to Unicode text (minimal version; legacy TCVN3/VNI tables come next)."""

from __future__ import annotations

import codecs
import unicodedata

from .errors import EncodingError


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; return (text, encoding name). NFC is applied by the caller."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return unicodedata.normalize("NFC", data.decode("cp1258")), "cp1258"
    except UnicodeDecodeError as e:
        raise EncodingError("the text is neither UTF-8, UTF-16 nor a Vietnamese legacy encoding") from e
