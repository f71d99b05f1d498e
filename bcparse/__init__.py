"""bcparse: read Vietnamese administrative reports (báo cáo UBND) into validated figures."""

from __future__ import annotations

from .document import Block, Document, Source
from .errors import BcparseError
from .readers import read

__all__ = ["BcparseError", "Block", "Document", "Source", "read"]
__version__ = "0.1.0"
