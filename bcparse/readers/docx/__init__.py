"""The .docx reader: a Word document → :class:`bcparse.document.Document`.

It works on the package's XML with lxml directly (python-docx's proxies are too slow for a
reader and do not resolve numbering): ``word/document.xml``, ``word/styles.xml`` and
``word/numbering.xml`` are each parsed once.

The text view follows the txt reader's conventions, so the same report gives the same view:

* one block per non-empty paragraph (NFC, outer white space stripped); an empty paragraph is a
  blank line (it adds 1 to the next block's ``gap``);
* body paragraphs and tables in document order; a table's cells row by row, left to right, each
  cell paragraph a block of kind "cell" with ``Source(table, row, cell)`` (cell = the 1-based grid
  column where the cell starts); a merged cell is read once (``gridSpan``; ``vMerge`` continuation
  cells are skipped); nested tables are read in place;
* ``Source.paragraph`` is the 1-based index of the ``w:p`` among all ``w:p`` of the body in
  document order (``body.iter(w:p)``: table cells, text boxes, empty paragraphs and skipped
  copies included); ``Source.page`` counts ``w:lastRenderedPageBreak`` when Word recorded them,
  else explicit breaks (``w:br w:type="page"``, ``w:pageBreakBefore``, section breaks); None
  when the file has neither;
* a line break inside a paragraph (``w:br``, ``w:cr``, and a page or column break in mid-text)
  ends a line of the view, as it ends a line on the page: "TM. ỦY BAN NHÂN DÂN⏎CHỦ TỊCH" typed
  with Shift+Enter gives two lines like the txt does. Lines that continue a sentence
  (``textview.continues``) are joined back, within a paragraph and between consecutive body
  paragraphs that look alike (same style, alignment and boldness) only where a page break split
  them (a page boundary Word recorded, or, in a file without any, the empty paragraph an export
  leaves; issue 19: two real paragraphs are never merged), never across a table or text box
  boundary and never onto a numbered paragraph;
* ``w:tab`` is one space, and so is a line feed or carriage return typed inside ``w:t`` (CRLF
  included: Word shows a space there, ``w:br`` breaks the line); soft hyphens are dropped; a non-breaking hyphen is "-"; a symbol
  (``w:sym``) from a symbol font's private-use area is "•"; ``w:caps`` text is upper-cased, as
  Word shows it;
* ``Block.bold``/``italic`` are True when at least 90 % of the line's non-space characters are
  bold/italic (run, character style, paragraph style, document defaults); ``size`` is the size of
  most characters; ``align`` comes from ``w:jc`` (direct or style; "left" when unset);
* footnotes and endnotes (``word/footnotes.xml``, ``word/endnotes.xml``) come after the body, a
  block per paragraph, "[n] " (the note's number) in front of its first one, so the references a
  report puts in its notes are read (issue 19); ``Source`` has no paragraph for them;
* left out: headers, footers, comments, the notes' reference marks in the text,
  deleted text (``w:del``), field instructions (``w:instrText``) and PAGE/NUMPAGES field results,
  hidden text (``w:vanish``); inserted text (``w:ins``) is read;
* text boxes are read, once, as blocks right after the paragraph that anchors them
  (``mc:AlternateContent``: the ``mc:Choice``, not the ``mc:Fallback`` copy);
* automatic numbering is resolved (:mod:`bcparse.readers.numbering`): the label and one space
  (nothing for ``w:suff="nothing"``) are written in front of the text, ``Block.label`` holds it;
* runs in a TCVN3 (.VnTime …) or VNI font are converted to Unicode (``bcparse.legacy_encodings``).

Bad input raises typed errors (:mod:`.package`, the guarded zip/XML reader the in-place editor
uses too): a damaged zip or XML part → CorruptFileError; a zip without a Word document →
UnsupportedFormatError; a zip bomb, a part declaring a DOCTYPE or entities, or XML nested too
deeply → UnsafeFileError.

The steps live in submodules: :mod:`.package` (the zip/XML package), :mod:`.styles`
(``word/styles.xml``), :mod:`.body` (paragraphs, runs, text boxes), :mod:`.tables`, :mod:`.fonts` (legacy
fonts), :mod:`bcparse.readers.numbering` (automatic numbering); :mod:`.ooxml` names the tags.
"""

from __future__ import annotations

from ... import limits
from ...document import Block, Document, Source
from ...errors import InputTooLargeError
from ...textview import normalize_text
from ..numbering import Numbering
from .body import _Reader
from .ooxml import W_BODY, W_P, W_T, _w
from .package import Package, WordDocument, open_word_document
from .styles import _Styles

__all__ = ["Package", "WordDocument", "open_word_document", "read_docx"]


_NOTE_TAGS = {"footnotes": _w("footnote"), "endnotes": _w("endnote")}


def _notes(pkg: Package, rels: dict[str, str]) -> list[Block]:
    """The text of the footnotes, then the endnotes, a block per paragraph ("[1] Kế hoạch số …")."""
    out: list[Block] = []
    k = 0
    for rel, tag in _NOTE_TAGS.items():
        part = rels.get(rel)
        if not part or part not in pkg.names:
            continue
        for note in pkg.xml(part).iter(tag):
            if note.get(_w("type")) not in (None, "normal"):
                continue  # the separator lines
            k += 1
            first = True
            for p in note.iter(W_P):
                text = normalize_text("".join(t.text or "" for t in p.iter(W_T))).strip()
                if not text:
                    continue
                out.append(Block(text=f"[{k}] {text}" if first else text, source=Source()))
                first = False
    return out


def read_docx(data: bytes, path: str | None = None) -> Document:
    """Read a .docx (bytes) into a Document; ``path`` only serves messages."""
    wd = open_word_document(data, path)
    pkg, root, blob = wd.pkg, wd.root, wd.blob
    numbering_part = wd.rels.get("numbering", "word/numbering.xml")
    styles = _Styles(wd.styles)
    numbering = Numbering(
        (lambda: pkg.xml(numbering_part)) if numbering_part in pkg.names else None, styles.num_id
    )
    reader = _Reader(styles, numbering, rendered=b"lastRenderedPageBreak" in blob)
    body = root.find(W_BODY)
    warnings: list[str] = []
    if body is None:
        warnings.append("the document has no body")
    else:
        reader.blocks_of(body)
    blocks = reader.blocks
    notes = _notes(pkg, wd.rels)
    if notes:
        notes[0].gap = max(notes[0].gap, 1)
        blocks.extend(notes)
    if not reader.page_seen:
        for b in blocks:
            b.source.page = None
    lim = limits.current().max_text_chars
    if sum(len(b.text) for b in blocks) > lim:
        raise InputTooLargeError(
            f"the document's text is over the limit of {lim:,} characters (set BCPARSE_MAX_TEXT_CHARS)", path=path
        )
    warnings.extend(dict.fromkeys(reader.warnings))
    meta: dict[str, object] = {
        "paragraphs": reader.para_no,
        "tables": reader.table_no,
        "numbered_paragraphs": reader.labels,
        "pages": reader.page if reader.page_seen else None,
        "page_breaks": "rendered" if reader.rendered else "explicit",
    }
    if notes:
        meta["notes"] = sum(1 for b in notes if b.text.startswith("["))
    encodings = sorted({b.encoding for b in blocks if b.encoding})
    if encodings:
        meta["encodings"] = encodings
    return Document(blocks, path=path, format="docx", warnings=warnings, meta=meta)
