"""Rendering a Report back: its text (lossless, with edits), a report built from data, a .docx.

    from bcparse.render import render_text, set_figure, render_docx
    r = bcparse.parse("samples/binh-thanh-doi-ngoai-2024.txt")
    render_text(r) == r.text                       # the round trip is the identity
    r2 = set_figure(r, "party.members", 281)        # only "280" → "281" changes in the text
    r3 = set_figure(r2, "gift[3].unit_value_vnd", 600000)   # "500.000đồng" → "600.000đồng"
    render_docx(r3, "out.docx")                    # a state-format Word document

``bcparse render PATH [--set KEY=VALUE ...] [--format text|docx] [-o OUT]`` is the command line.
"""

from __future__ import annotations

from .build import build_text, new_report
from .docx import edit_docx, render_docx, write_docx
from .edit import Edit, apply_edit, set_figure
from .text import render_text

__all__ = [
    "Edit", "apply_edit", "build_text", "edit_docx", "new_report", "render_docx", "render_text",
    "set_figure", "write_docx",
]
