"""Views of the pipeline's results for people: one report as a self-contained HTML page
(:mod:`bcparse.view.html`), and the database in a browser through datasette (:mod:`bcparse.view.serve`).

A view reads what the pipeline made (the :class:`~bcparse.models.Report`, its
:class:`~bcparse.document.Document` for the layout, the audit's findings) and never extracts again;
nothing but the CLI imports it (docs/architecture.md, docs/view.md).
"""

from __future__ import annotations

from .html import render_html

__all__ = ["render_html"]
