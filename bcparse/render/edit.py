"""Editing one figure of a Report: the core lives in :mod:`bcparse.edit` (below the renderers,
so that :meth:`bcparse.models.Report.set` needs nothing from here); these names stay importable."""

from __future__ import annotations

from ..edit import RECORD_KEY, Edit, apply_edit, coerce_value, kind_of, resolve, set_figure

__all__ = ["Edit", "apply_edit", "set_figure", "resolve", "coerce_value", "kind_of", "RECORD_KEY"]
