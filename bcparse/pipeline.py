"""The pipeline: four stages, data flowing one way.

    read       source → Document                 (bcparse.readers)
    structure  Document → Structure              (header, sections, closing: bcparse.structure)
    extract    Document + Structure → figures    (all of them, header figures included: bcparse.extract)
    assemble   → Report                          (validated: bcparse.models)

    bcparse.parse(path)            a file (.txt, .docx, .doc, .pdf) or bytes
    bcparse.parse_text(text)       text already decoded
    bcparse.parse_document(doc)    a Document from any reader
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

from .document import Document
from .extract import Extraction, extract
from .models import Report
from .readers import read
from .readers.txt import read_text
from .structure import Structure, parse_structure


def assemble(doc: Document, st: Structure, ex: Extraction) -> Report:
    """The validated Report of a Document, its structure and its figures."""
    return Report(
        source=doc.path, format=doc.format, grammar=ex.grammar, header=st.header, sections=st.sections,
        numbering_issues=st.numbering_issues, closing=st.closing, figures=ex.figures, choices=ex.choices,
        warnings=doc.warnings, text=doc.text,
    )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a parse runs (when it was running; nested uses and
    a caller's own ``gc.disable()`` are left as they are). A parse makes no reference cycles worth
    collecting (its peak memory is the same without the collector), and a collector walking the
    growing heap every few hundred allocations made parse time grow faster than the text (issue 18:
    about 10% of a parse of 300x the sample, 2% of one report)."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def parse_document(doc: Document, *, grammar: str | None = None) -> Report:
    """A Report from a Document (any reader's)."""
    with collector_paused():
        st = parse_structure(doc)
        ex = extract(doc, st, grammar=grammar)
        if "ocr" in doc.meta:  # a scan: each figure's word confidence and corrections (docs/ocr.md)
            from .readers.ocr.confidence import annotate

            annotate(doc, ex.figures)
        return assemble(doc, st, ex)


def parse(source: str | os.PathLike[str] | bytes, *, grammar: str | None = None,
          password: str | None = None, ocr: str | None = None) -> Report:
    """Parse a report file (.txt, .docx, .doc, .pdf, a scan) or its bytes into a validated Report
    (``ocr``: auto, always or never, docs/ocr.md)."""
    with collector_paused():  # the reader's objects too (a PDF's characters)
        return parse_document(read(source, password=password, ocr=ocr), grammar=grammar)


def parse_text(text: str, *, grammar: str | None = None, source: str | None = None) -> Report:
    """Parse report text (already decoded)."""
    return parse_document(read_text(text, path=source), grammar=grammar)
