"""Number words: "năm trăm nghìn" = 500 000 and back."""

from __future__ import annotations

from ._data import _DIGIT_WORDS, _HALF, _MULTIPLIERS, _TENS, _ZERO_TENS, _fw


def _small_words(toks: list[str], *, shorthand: bool) -> int:
    """0..999 from words: [digit] trăm [digit mươi | mười | linh] [digit]."""
    val = 0
    digit: int | None = None
    hundred = tens = False
    last = ""
    for tok in toks:
        if tok in _DIGIT_WORDS:
            if digit is not None:
                raise ValueError(f"two digits in a row: {' '.join(toks)!r}")
            digit = _DIGIT_WORDS[tok]
        elif tok == "trăm":
            if hundred or tens:
                raise ValueError(f"misplaced 'trăm': {' '.join(toks)!r}")
            val += (1 if digit is None else digit) * 100
            digit, hundred = None, True
        elif tok in _TENS:
            if tens:
                raise ValueError(f"two tens in a row: {' '.join(toks)!r}")
            if _TENS[tok] == "multiply":
                if digit is None:
                    raise ValueError(f"'{tok}' needs a digit before it")
                val += digit * 10
            else:
                if digit is not None:
                    raise ValueError(f"a digit before '{tok}'")
                val += 10
            digit, tens = None, True
        elif tok in _ZERO_TENS:
            if tens or digit is not None:
                raise ValueError(f"misplaced '{tok}'")
            tens = True
        elif tok in _HALF:
            if last != "trăm":
                raise ValueError(f"misplaced '{tok}'")
            val += 50
            tens = True
        else:
            raise ValueError(f"not a number word: {tok!r}")
        last = tok
    if digit is not None:
        # "một trăm hai" = 120: a lone digit right after "trăm" counts tens
        if shorthand and hundred and not tens and len(toks) >= 2 and toks[-2] == "trăm":
            val += digit * 10
        else:
            val += digit
    return val


def parse_words(s: str) -> int:
    """Vietnamese number words to an int.

    "năm trăm nghìn" 500000, "một triệu tư" 1400000 (a lone digit after a multiplier counts its
    tenth), "ba trăm linh năm" 305, "hai mươi mốt" 21, "mười lăm" 15, "hai triệu rưỡi" 2500000,
    "hai nghìn tỷ" 2 000 000 000 000. Words: digits with mốt/tư/lăm/nhăm, mươi/mười, linh/lẻ,
    trăm, nghìn/ngàn, triệu, tỷ/tỉ (and the slang củ, tỏi). Raises ValueError otherwise.

    >>> parse_words("năm trăm nghìn"), parse_words("một triệu tư"), parse_words("ba trăm linh năm")
    (500000, 1400000, 305)
    >>> parse_words("hai mươi mốt"), parse_words("mười lăm"), parse_words("hai triệu rưỡi")
    (21, 15, 2500000)
    """
    if not isinstance(s, str):
        raise ValueError(f"not number words: {s!r}")
    toks = _fw(s).replace("-", " ").replace(",", " ").split()
    if not toks:
        raise ValueError("no number words")
    pending: list[tuple[int, int]] = []  # (value, multiplier) of the parts read so far
    chunk: list[str] = []
    last_mult = 0
    after_mult = False
    for tok in toks:
        m = _MULTIPLIERS.get(tok, 0)
        if m >= 1000:
            v = _small_words(chunk, shorthand=True) if chunk else 0
            lower = 0
            while pending and pending[-1][1] < m:
                lower += pending.pop()[0]
            base = v + lower
            if base == 0 and not chunk:
                base = 1
            pending.append((base * m, m))
            chunk = []
            last_mult = m
            after_mult = True
            continue
        if tok not in _DIGIT_WORDS and tok not in _TENS and tok not in _ZERO_TENS and tok not in _HALF \
                and tok != "trăm":
            raise ValueError(f"not a number word: {tok!r}")
        chunk.append(tok)
    val = 0
    if chunk:
        if after_mult and len(chunk) == 1 and chunk[0] in _HALF:
            val = last_mult // 2
        elif after_mult and len(chunk) == 1 and chunk[0] in _DIGIT_WORDS and toks[-2] in _MULTIPLIERS:
            val = _DIGIT_WORDS[chunk[0]] * last_mult // 10  # "một triệu tư"
        else:
            val = _small_words(chunk, shorthand=True)
    return sum(p for p, _ in pending) + val


_DIGIT_NAMES = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _group_words(n: int, full: bool) -> list[str]:
    h, t, u = n // 100, n // 10 % 10, n % 10
    out: list[str] = []
    if full or h:
        out += [_DIGIT_NAMES[h], "trăm"]
    if t == 0:
        if u:
            if full or h:
                out.append("linh")
            out.append(_DIGIT_NAMES[u])
    elif t == 1:
        out.append("mười")
        if u:
            out.append("lăm" if u == 5 else _DIGIT_NAMES[u])
    else:
        out += [_DIGIT_NAMES[t], "mươi"]
        if u:
            out.append({1: "mốt", 4: "tư", 5: "lăm"}.get(u, _DIGIT_NAMES[u]))
    return out


def to_words(n: int) -> str:
    """An int in Vietnamese words (the northern standard): 1422 -> "một nghìn bốn trăm hai mươi hai".

    Inverse of :func:`parse_words`. Raises ValueError for negative numbers or non-integers.

    >>> to_words(1422)
    'một nghìn bốn trăm hai mươi hai'
    >>> to_words(305), to_words(21), to_words(15)
    ('ba trăm linh năm', 'hai mươi mốt', 'mười lăm')
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"not a natural number: {n!r}")
    if n == 0:
        return "không"
    words: list[str] = []
    if n >= 10**9:
        words = to_words(n // 10**9).split() + ["tỷ"]
        n %= 10**9
        lead = False
    else:
        lead = True
    for scale, name in ((10**6, "triệu"), (10**3, "nghìn"), (1, "")):
        g = n // scale % 1000
        if g:
            words += _group_words(g, full=not lead)
            if name:
                words.append(name)
            lead = False
    return " ".join(words)
