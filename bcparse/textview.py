"""Text-view helpers shared by every reader: normalisation, joining split paragraphs, markdown
markers, and the tone-mark fold used when grammars compare text.

All functions here are pure and cheap; they run on every line of every report.
"""

from __future__ import annotations

import re
import unicodedata

from .document import Block, Mark

# ---------------------------------------------------------------------------------------------
# Normalisation of one line
# ---------------------------------------------------------------------------------------------

# characters that are white space for layout purposes but not for str.strip() in every case
_SPACE_LIKE = "\u00a0\u2007\u202f\u200b\ufeff\u3000\t "
_ETH = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})  # Ð/ð (eth) typed for Đ/đ
_NEEDS_FIX = re.compile("[\u00d0\u00f0\u00a0\u202f\u2007\u200b\ufeff]")


def normalize_text(s: str) -> str:
    """NFC, eth→đ, non-breaking and zero-width spaces to plain spaces (length may change).

    The one normalisation of the text view: every reader, and the .docx editor through
    :func:`normalize_with_offsets`, use it. Text already normal (most of it) is returned as it is."""
    if not s.isascii() and (not unicodedata.is_normalized("NFC", s) or _NEEDS_FIX.search(s)):
        s = unicodedata.normalize("NFC", s)
        if "\u00d0" in s or "\u00f0" in s:
            s = s.translate(_ETH)
        s = s.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2007", " ")
        s = s.replace("\u200b", "").replace("\ufeff", "")
    return s


def split_indent(s: str) -> tuple[str, str]:
    """(leading white space, rest without trailing white space)."""
    body = s.lstrip(_SPACE_LIKE)
    return s[: len(s) - len(body)], body.rstrip(_SPACE_LIKE)


# ---------------------------------------------------------------------------------------------
# Markdown emphasis markers (``**TM. ỦY BAN NHÂN DÂN``): kept out of the view, remembered
# ---------------------------------------------------------------------------------------------

_MD_STRONG = re.compile(r"(?<!\*)\*\*(?!\*)|(?<!_)__(?!_)")  # a run of 3 or more ("_______", a rule) is text
_MD_EM = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![\w*])")
_MD_HEADING = re.compile(r"#{1,6}[ \t]+(?=\S)")  # an ATX heading's opening "# ", "## " …


def strip_markdown(s: str) -> tuple[str, list[Mark]]:
    """Remove ``**``/``__``, paired single ``*`` emphasis and a heading's opening ``#``…``######``
    (with the spaces after it); return the text and where they stood.

    ``s`` is one line (or a paragraph) without its indentation. A single ``*`` that opens a line
    followed by a space is a bullet, not emphasis, and stays; a ``#`` not followed by a space
    ("#3", "#") is text, and so is a run of three or more ``_`` or ``*`` (a rule line, a blank
    to fill in: "Số: ______/BC-UBND"). Every reader cleans its lines with this one function, so a report whose
    text holds markers pasted from a converted text ("**BÁO CÁO**", "# I. TÌNH HÌNH") gives the
    same view as .txt, .docx and .pdf.
    """
    if "*" not in s and "__" not in s and not s.startswith("#"):
        return s, []
    marks: list[Mark] = []
    out: list[str] = []
    pos = 0
    kept = 0
    tokens: list[tuple[int, int]] = [(m.start(), m.end()) for m in _MD_STRONG.finditer(s)]
    if s.startswith("#") and (h := _MD_HEADING.match(s)):
        tokens.append((0, h.end()))
    for m in _MD_EM.finditer(s):
        if not any(a <= m.start() < b for a, b in tokens):
            tokens.append((m.start(), m.start() + 1))
            tokens.append((m.end() - 1, m.end()))
    if not tokens:
        return s, []
    tokens.sort()
    # white space a marker leaves at either end of the text goes with the marker ("** BÁO CÁO **")
    if tokens[0][0] == 0:
        a, b = tokens[0]
        while b < len(s) and s[b] in " \t":
            b += 1
        tokens[0] = (a, b)
    if tokens[-1][1] == len(s) and tokens[-1][0] > tokens[0][1]:
        a, b = tokens[-1]
        while a > tokens[0][1] and s[a - 1] in " \t":
            a -= 1
        tokens[-1] = (a, b)
    for a, b in tokens:
        if a < pos:
            continue
        out.append(s[pos:a])
        kept += a - pos
        marks.append(Mark(offset=kept, text=s[a:b]))
        pos = b
    out.append(s[pos:])
    return "".join(out), marks


# ---------------------------------------------------------------------------------------------
# Joining paragraphs that a page break (or a hard wrap) split mid-sentence
# ---------------------------------------------------------------------------------------------

# a line that opens with a section marker or bullet starts something new, even in lower case
_STARTS_NEW = re.compile(
    r"^(?:[a-zđ][.)](?:\s|$)|[ivxlcdm]+[.)-]\s|[-+*•–—·]|\(|\d)", re.IGNORECASE
)
_ENDS_SENTENCE = re.compile(r"[.:;!?…]\s*$|\./\.\s*$")


# words a sentence or a heading never ends with: a line ending in one was wrapped
_DANGLING = re.compile(
    r"(?:^|\s)(?:và|của|về|với|cho|các|những|trong|tại|theo|để|đến|từ|là|có|được|hoặc|nhưng|đối|"
    r"trên|dưới|vào|ra|đã|sẽ|đang|mà|thì|bằng|như|cùng|giữa|qua|do|bởi)$",
    re.IGNORECASE,
)


_BEFORE_NUMBER = re.compile(r"(?:^|\s)(?:ngày|tháng|năm|số|khoảng|trên|dưới|là|có|đạt|gồm|với|và)$", re.IGNORECASE)
_STARTS_NEW_NUM = re.compile(r"^\d{1,2}(?:\.\d{1,2})*[.)\-]\s")


def continues(prev: str, nxt: str) -> bool:
    """True when ``nxt`` is the rest of the sentence ``prev`` left unfinished.

    Either the next line opens with a lower-case letter (not a section marker such as "a)" or a
    bullet) and the previous one does not end a sentence or a clause (. : ; ! ?), or the previous
    line ends with a word no sentence ends with ("và", "của", "về" …) and the next one is not a
    new section or item.
    """
    if not prev or not nxt:
        return False
    tail = prev.rstrip()[-24:]  # only the end of the line matters: the searches stay cheap
    if _ENDS_SENTENCE.search(tail):
        return False
    if _STARTS_NEW.match(nxt) and not (nxt[0].isdigit() and _BEFORE_NUMBER.search(tail)):
        return False
    c = nxt[0]
    if c.islower():
        return True
    if c.isdigit():  # "ngày 27 tháng 12 năm" / "2008 của Chính phủ"
        return bool(_BEFORE_NUMBER.search(tail)) and not _STARTS_NEW_NUM.match(nxt)
    return c.isalpha() and bool(_DANGLING.search(tail))


def join_into(prev: Block, nxt: Block) -> None:
    """Append ``nxt`` to ``prev`` as the continuation of one paragraph (one space between)."""
    sep = "" if prev.text.endswith(" ") else " "
    base = len(prev.text) + len(sep)
    prev.joins.append(len(prev.text))
    prev.marks.extend(Mark(offset=m.offset + base, text=m.text) for m in nxt.marks)
    prev.joins.extend(j + base for j in nxt.joins)
    prev.text = prev.text + sep + nxt.text
    prev.source.lines = prev.source.lines + nxt.source.lines


# ---------------------------------------------------------------------------------------------
# Folding for comparison: case, tone-mark placement ("Hoá"/"Hóa", "UỶ"/"ỦY"), eth
# ---------------------------------------------------------------------------------------------

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below


def _build_fold() -> dict[str, str]:
    """Pairs written with the tone on the first vowel ("óa", "ủy") map to the tone on the second
    ("oá", "uỷ"); both are two characters, so folding keeps every offset."""
    table: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for t in _TONES:
            old = unicodedata.normalize("NFC", first + t) + second
            new = first + unicodedata.normalize("NFC", second + t)
            table[old] = new
    return table


_FOLD_PAIRS = _build_fold()
_FOLD_RE = re.compile("[" + "".join(sorted({k[0] for k in _FOLD_PAIRS})) + "][aey]")


def _lower_same_length(s: str) -> str:
    low = s.lower()
    if len(low) == len(s):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in s)


def fold(s: str) -> str:
    """A comparison key for Vietnamese text with the same length as ``s`` (offsets carry over).

    Lower-cases, maps Ð to đ and puts the tone of "oa", "oe", "uy" on the second vowel, so
    "Định Hoá", "Định Hóa" and "ĐỊNH HOÁ" all fold to "định hoá". The source is never rewritten:
    match on the fold, read the value from the original at the same offsets. (The one fold: the
    quantity scanner folds whole documents with it, so it avoids str.translate.)

    >>> fold("Định Hóa") == fold("ĐỊNH HOÁ") == "định hoá"
    True
    """
    if "\u00d0" in s or "\u00f0" in s:
        s = s.replace("\u00d0", "\u0111").replace("\u00f0", "\u0111")
    return _FOLD_RE.sub(_fold_pair, _lower_same_length(s))


def _fold_pair(m: re.Match[str]) -> str:
    return _FOLD_PAIRS.get(m.group(0), m.group(0))


def normalize_with_offsets(s: str, *, strict: bool = True) -> tuple[str, list[tuple[int, int]]]:
    """:func:`normalize_text`, plus for each output character the stretch [start, end) of ``s`` it
    came from (a character NFC composed from several maps to all of them; dropped zero-width
    characters belong to none). ValueError when the stretches cannot be told apart (NFC of the
    whole differs from NFC cluster by cluster), unless ``strict`` is False: then the text is the
    cluster-by-cluster one."""
    if s.isascii():
        return s, [(i, i + 1) for i in range(len(s))]
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    i, n = 0, len(s)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(s[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", s[i:j]) if j - i > 1 or not s[i].isascii() else s[i]
        for ch in cluster:
            if ch in "\u200b\ufeff":
                continue
            ch = ch.translate(_ETH)
            if ch in "\u00a0\u202f\u2007":
                ch = " "
            out.append(ch)
            spans.append((i, j))
        i = j
    text = "".join(out)
    if strict and text != normalize_text(s):
        raise ValueError("normalisation does not split into clusters")
    return text, spans
