"""Report grammars: YAML files in ``grammars/`` (data, not code), loaded and checked here.

A grammar says which reports it applies to (``match``), which figures each part of a report holds
(``figures``, ``records``, ``lists``) as patterns built from shared placeholders, how to render each
figure back (``render``), and which relations between figures must hold (``relations``) for the
audit. The schema is documented in docs/grammars.md; a file that does not fit it is refused with a
:class:`~bcparse.errors.GrammarError` naming the file, the line and the field.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal, TypeVar

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError

from .bind import canonical, load_vocabulary, table_values
from .errors import GrammarError
from .grammar_paths import grammar_dirs, load_yaml
from .numbers.placeholders import PLACEHOLDER_RE as _PH

PLACEHOLDER_TYPES = (
    "int", "num", "decimal", "money", "percent", "rate", "fraction", "date", "none", "count",
    "docref", "name", "list", "text",
)
_KEY = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$")

# ---------------------------------------------------------------------------------------------
# Grammar patterns: the regex module, a time limit per match, fuzzy literals
# ---------------------------------------------------------------------------------------------

#: seconds one search of a grammar pattern may take, match by match (a grammar's patterns take
#: microseconds on a line; a pattern that backtracks catastrophically, such as ``(a|aa)+$``, takes
#: forever); generous, as a loaded machine's clock runs on while the search waits
MATCH_TIMEOUT = 2.0


RxMatch = regex.Match[str]  # what a grammar pattern's search gives


class PatternTimeout(Exception):
    """A grammar pattern ran out of :data:`MATCH_TIMEOUT` (turned into a GrammarError naming the
    rule and its file by :func:`timed_rule`)."""

    def __init__(self, pattern: str) -> None:
        super().__init__(pattern)
        self.pattern = pattern


class Pattern:
    """A grammar pattern compiled with the ``regex`` module (``\\p{L}`` classes, fuzzy matching
    ``{s<=1}``); every search has the time limit :data:`MATCH_TIMEOUT`. ``label`` is the pattern
    as the grammar writes it (placeholders unexpanded), for the error."""

    __slots__ = ("label", "_rx")

    def __init__(self, source: str, label: str | None = None) -> None:
        self._rx = regex.compile(source)
        self.label = source if label is None else label

    def search(self, s: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        try:
            return self._rx.search(s, pos, endpos, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            raise PatternTimeout(self.label) from None

    def match(self, s: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        try:
            return self._rx.match(s, pos, endpos, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            raise PatternTimeout(self.label) from None

    def fullmatch(self, s: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        try:
            return self._rx.fullmatch(s, pos, endpos, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            raise PatternTimeout(self.label) from None

    def finditer(self, s: str, pos: int = 0, endpos: int | None = None) -> Iterator[regex.Match[str]]:
        """The matches one search each, so that the limit is per match, not for a whole line of
        many (regex's own ``finditer`` applies the timeout to the whole iteration)."""
        end = len(s) if endpos is None else endpos
        while pos <= end:
            m = self.search(s, pos, end)
            if m is None:
                return
            yield m
            pos = m.end() if m.end() > m.start() else m.end() + 1


@functools.lru_cache(maxsize=4096)
def rx(pattern: str) -> Pattern:
    """A grammar's plain regex (``not_before``, ``donor``, ``recipients`` …) compiled once."""
    return Pattern(pattern)


F = TypeVar("F", bound=Callable[..., None])


def timed_rule(fn: F) -> F:
    """Wrap ``apply_*_rule(ctx, grammar, rule)``: a pattern that runs out of time is a
    :class:`GrammarError` naming the rule, its grammar file and the pattern, not a hang."""

    @functools.wraps(fn)
    def run(ctx: Any, g: Grammar, rule: Any, *a: Any, **kw: Any) -> None:
        try:
            fn(ctx, g, rule, *a, **kw)
        except PatternTimeout as e:
            name = next((getattr(rule, n) for n in ("key", "id", "record") if getattr(rule, n, None)), "?")
            raise GrammarError(
                f"{g.file or g.id}: rule {name!r}: pattern {e.pattern!r} took longer than {MATCH_TIMEOUT:g} s "
                "for one match (catastrophic backtracking, as in '(a|aa)+$'): rewrite it") from None

    return run  # type: ignore[return-value]


_FUZZY_MIN = 6  # letters a literal run needs to be matched with one error


def fuzzy_pattern(p: str, errors: int = 1) -> str:
    """``p`` with each literal run of at least 6 letters (spaces between words included) made
    fuzzy: ``tổng số hộ`` → ``(?:tổng số hộ){s<=1}``. Placeholders, classes, groups, escapes and
    the letter a quantifier applies to are left as written."""
    out: list[str] = []
    run: list[str] = []

    def flush(quantified: bool = False) -> None:
        last = run.pop() if quantified and run else ""
        text = "".join(run)
        core = text.strip(" ")
        if sum(c.isalpha() for c in core) >= _FUZZY_MIN:
            lead = text[: len(text) - len(text.lstrip(" "))]
            trail = text[len(text.rstrip(" ")):]
            out.append(f"{lead}(?:{core}){{s<={errors}}}{trail}")
        else:
            out.append(text)
        out.append(last)
        run.clear()

    i = 0
    while i < len(p):
        c = p[i]
        if c.isalpha() or c == " ":
            run.append(c)
            i += 1
            continue
        if c in "?*+" or (c == "{" and not _PH.match(p, i)):
            flush(quantified=True)
        else:
            flush()
        if c == "\\":
            j = i + 2
            if p[i + 1 : i + 2] in ("p", "P", "N") and p[j : j + 1] == "{":
                j = p.find("}", j) + 1 or len(p)
            out.append(p[i:j])
            i = j
        elif c == "[":
            j = i + 1
            if p[j : j + 1] == "^":
                j += 1
            if p[j : j + 1] == "]":
                j += 1
            while j < len(p) and p[j] != "]":
                j += 2 if p[j] == "\\" else 1
            out.append(p[i : j + 1])
            i = j + 1
        elif c == "{":
            j = p.find("}", i) + 1 or len(p)
            out.append(p[i:j])
            i = j
        elif c == "(" and p[i + 1 : i + 2] == "?":
            m = re.match(r"\(\?(?:P<[^>]*>|P=[^)]*\)|<[=!]|[:=!>|]|[a-zA-Z]*[:)])", p[i:])
            j = i + (m.end() if m else 2)
            out.append(p[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    flush()
    return "".join(out)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Match(_Strict):
    """Which reports a grammar applies to (invoice2data's keywords / exclude / priority)."""

    types: list[str] = []  # document types ("BÁO CÁO"); empty = any
    keywords: list[str] = []  # words in the type and subject (any of them counts; each adds to the score)
    required: list[str] = []  # words that must all be present (type + subject)
    symbols: list[str] = []  # ký hiệu ("BC-UBND"); a match adds to the score
    exclude: list[str] = []  # words in the type and subject that rule the grammar out
    body_keywords: list[str] = []  # words in the body that add a little to the score (reports with no header)
    priority: int = 0  # breaks ties between grammars with the same score


class FigureRule(_Strict):
    """A figure (or several, with named placeholders) read by patterns."""

    key: str | None = None  # the key an unnamed placeholder fills
    patterns: list[str] = Field(min_length=1)
    unit: str | None = None  # unit to report when the text gives none
    section: list[str] = []  # only inside sections whose title contains one of these
    not_before: list[str] = []  # refuse a match followed (right after) by one of these regexes
    not_after: list[str] = []  # refuse a match preceded (right before) by one of these regexes
    repeat: bool = False  # every match is a figure (otherwise the first match wins)
    fields: dict[str, str] = {}  # named regex groups (?P<name>...) → figure key
    render: str | None = None  # phrase to write the figure back ("có {value} hộ")
    listed: ListedRule | None = None  # count the items the text lists after the stated count
    fuzzy: bool | None = None  # literal runs of 6+ letters match with one error (OCR); None: the grammar's

    @field_validator("key")
    @classmethod
    def _key_ok(cls, v: str | None) -> str | None:
        if v is not None and not _KEY.match(v):
            raise ValueError(f"{v!r} is not a dotted lower-case key such as 'party.members'")
        return v

    @field_validator("patterns")
    @classmethod
    def _patterns_ok(cls, v: list[str]) -> list[str]:
        for p in v:
            for m in _PH.finditer(p):
                if m.group("type") not in PLACEHOLDER_TYPES:
                    raise ValueError(f"unknown placeholder {{{m.group('type')}}} in {p!r}; "
                                     f"known: {', '.join(PLACEHOLDER_TYPES)}")
            try:
                regex.compile(_PH.sub("0", p))
            except regex.error as e:
                raise ValueError(f"pattern {p!r} is not a valid regular expression: {e}") from None
        return v

    @model_validator(mode="after")
    def _something_to_fill(self) -> FigureRule:
        for p in self.patterns:
            named = [m for m in _PH.finditer(p) if m.group("field")]
            unnamed = [m for m in _PH.finditer(p) if not m.group("field") and m.group("type") != "text"]
            if unnamed and self.key is None:
                raise ValueError(f"pattern {p!r} has an unnamed placeholder but the rule has no 'key'")
            if not named and not unnamed and not self.fields:
                raise ValueError(f"pattern {p!r} has no placeholder to fill")
        return self


QUANTITY_KINDS = ("count", "number", "decimal", "money", "percent", "rate", "fraction", "date")


def _one_of(values: list[str], known: set[str], what: str) -> list[str]:
    """``values`` when each is in ``known``; else the error that names the first stranger."""
    for k in values:
        if k not in known:
            raise ValueError(f"unknown {what} {k!r}; known: {', '.join(sorted(known))}")
    return values


class CountRule(_Strict):
    """A figure declared over the binding of quantities (bcparse.bind): a key is a counted noun
    with required / forbidden modifiers, said of a kind of subject, in some frames. The words are
    those of the vocabulary (grammars/vocabulary/*.yaml); an unknown word is refused."""

    key: str
    noun: list[str] = Field(min_length=1)  # head nouns ("hộ", "đảng viên"); any way the vocabulary writes them
    require: list[str] = []  # modifiers the noun must carry (all entries; "a|b": either)
    forbid: list[str] = []  # modifiers it must not carry; "*": any modifier not required or allowed
    allow: list[str] = []  # with forbid ["*"]: modifiers that do not narrow the noun ("anh em")
    subject: list[str] = []  # subject kinds allowed ("commune", "party", ...; "none": no subject stated); [] = any
    frames: list[str] = ["total"]  # frames allowed (total, part, change, characterisation, ...; none: no frame word)
    kinds: list[str] = ["count"]  # quantity kinds read ("count" also takes a bare whole number)
    measure: str | None = None  # a measure noun the binding must carry ("tỷ lệ" → rate, "sản lượng" → output)
    # the unit of the key: a quantity written in another unit of its measure is converted ("4,02 km2" →
    # 402 ha, bcparse/data/numbers_vi.yaml unit_conversions), in no unit of it refused; a report built
    # in code writes it
    unit: str | None = None
    section: list[str] = []  # only inside sections whose title contains one of these
    render: str | None = None  # phrase to write the figure back ("có {value} hộ")
    repeat: bool = False  # every match is a figure (otherwise the best one, per mode)
    # what happened in the report's period (departures, delegations), not a stock (members, hamlets): a
    # sentence about an earlier year ("trong năm 2021 đã …" in a report of 2022) fills it not
    flow: bool = False

    @field_validator("key")
    @classmethod
    def _key_ok(cls, v: str) -> str:
        if not _KEY.match(v):
            raise ValueError(f"{v!r} is not a dotted lower-case key such as 'party.members'")
        return v

    @field_validator("kinds")
    @classmethod
    def _kinds_ok(cls, v: list[str]) -> list[str]:
        return _one_of(v, set(QUANTITY_KINDS), "quantity kind")

    @field_validator("noun")
    @classmethod
    def _nouns_known(cls, v: list[str]) -> list[str]:
        return [_canonical(w, "heads", "noun") for w in v]

    @field_validator("require")
    @classmethod
    def _required_known(cls, v: list[str]) -> list[str]:
        # an entry may name alternatives: "trường học|giáo dục"
        return ["|".join(_canonical(a, "modifiers", "modifier") for a in w.split("|")) for w in v]

    @field_validator("allow")
    @classmethod
    def _modifiers_known(cls, v: list[str]) -> list[str]:
        return [_canonical(w, "modifiers", "modifier") for w in v]

    @field_validator("forbid")
    @classmethod
    def _forbid_known(cls, v: list[str]) -> list[str]:
        return [w if w == "*" else _canonical(w, "modifiers", "modifier") for w in v]

    @field_validator("subject")
    @classmethod
    def _subjects_known(cls, v: list[str]) -> list[str]:
        return _one_of(v, table_values(load_vocabulary().subjects) | {"none"}, "subject kind")

    @field_validator("measure")
    @classmethod
    def _measure_known(cls, v: str | None) -> str | None:
        return v if v is None else _one_of([v], table_values(load_vocabulary().measures), "measure")[0]

    @field_validator("frames")
    @classmethod
    def _frames_known(cls, v: list[str]) -> list[str]:
        voc = load_vocabulary()
        return _one_of(v, table_values(voc.frames) | table_values(voc.frames_after) | {"total", "none"}, "frame")


def _canonical(word: str, table: str, what: str) -> str:
    """The vocabulary's canonical form of a head or modifier written in a rule."""
    got = canonical(word, table)
    if got is None:
        raise ValueError(f"unknown {what} {word!r}: add it to a vocabulary file (grammars/vocabulary/*.yaml)")
    return got


class ListedRule(_Strict):
    """Where the items of a stated count are listed: after a colon on the same line, or as bullets."""

    mode: Literal["inline", "bullets"] = "inline"
    separator: str = ";"  # inline items separator
    bullet: str = "+"  # bullets mode: the bullet of the listed lines


class RecordRule(_Strict):
    """Repeated records (gifts): each match is one item with several fields."""

    id: str  # record name, the key prefix ("gift")
    trigger: list[str] = []  # a line must contain one of these (folded) to be searched
    patterns: list[str] = []  # an item: {type:field} placeholders and (?P<field>...) groups
    values: list[str] = []  # searched in the clause after an item (up to the next one): its value(s)
    fields: dict[str, str] = {}  # field → key ("count" → "gift.count"); default "<id>.<field>"
    donor: list[str] = []  # regexes with group 'donor', tried on the sentence before the item
    donor_generic: list[str] = []  # donors that only refer back ("đoàn"): look for the antecedent
    donor_antecedent: list[str] = []  # regexes with group 'donor', searched earlier in the paragraph
    recipients: list[str] = []  # regexes with group 'recipients', searched around the item
    donor_after: list[str] = []  # regexes with group 'donor' right after the item: "quà của X", "do X tài trợ" (wins)
    donor_own_unit: bool = False  # no giver named: the report's own unit (last agency line), confidence low
    donor_strip: list[str] = []  # regexes of words before a donor that are not the donor ("năm nay", "tối 8.1.2012")
    not_after: list[str] = []  # regexes that refuse an item when they match right before it ("mỗi xã 2 suất")
    nouns: list[str] = []  # heads (vocabulary) whose count is an item wherever a pattern did not take it ("200 suất quà đến …")
    skip_frames: list[str] = []  # frames (bcparse.bind) of a count that is no item of its own ("trong đó 50 suất")
    derive_total: list[str] = []  # [count, unit_value, total]: total = count x unit value when not stated
    render: str | None = None
    fuzzy: bool | None = None  # patterns and values: literal runs of 6+ letters with one error; None: the grammar's

    @model_validator(mode="after")
    def _items_found_somehow(self) -> RecordRule:
        if not self.patterns and not self.nouns:
            raise ValueError("a record rule needs 'patterns' or 'nouns' to find its items")
        return self


class TableRule(_Strict):
    """Records read from a table (a .docx table, kept as rows and cells): one item per body row."""

    record: str  # record name, the key prefix ("gift")
    header: list[str] = Field(min_length=1)  # regexes the header row must all match (folded)
    columns: dict[str, list[str]]  # field → header words that name its column (first match wins)
    types: dict[str, Literal["int", "num", "money", "text"]] = {}  # field → how to read a cell (default text)
    fields: dict[str, str] = {}  # field → key (default "<record>.<field>")
    total_row: list[str] = []  # a first cell holding one of these marks the table's total row
    derive_total: list[str] = []  # [count, unit_value, total]


class ListRule(_Strict):
    """A list of names (countries) read from a parenthesised or colon-introduced list."""

    key: str
    patterns: list[str] = Field(min_length=1)  # must contain {list}
    render: str | None = None
    fuzzy: bool | None = None


class Relation(_Strict):
    """An arithmetic relation between figures that must hold; the audit checks it."""

    id: str
    kind: Literal["sum", "listed", "product", "le", "record_sum"]
    total: str | None = None  # sum / product: the total key
    parts: list[str] = []  # sum: the parts (missing parts are skipped; all missing → not checked)
    stated: str | None = None  # listed: the stated count key
    listed: str | None = None  # listed: the key of the number of listed items
    record: str | None = None  # product: the record the relation holds in, per item; record_sum: the record
    field: str | None = None  # record_sum: the item key summed over the record's items (total = Σ field)
    factors: list[str] = []  # product: factors whose product is the total
    lhs: str | None = None  # le: lhs <= rhs
    rhs: str | None = None
    message: str | None = None  # what to tell the inspector (else a default per kind)

    @model_validator(mode="after")
    def _complete(self) -> Relation:
        need = {"sum": ("total", "parts"), "listed": ("stated", "listed"), "product": ("total", "factors"),
                "le": ("lhs", "rhs"), "record_sum": ("total", "record", "field")}[self.kind]
        for n in need:
            if not getattr(self, n):
                raise ValueError(f"a '{self.kind}' relation needs '{n}'")
        return self


class LayoutGroup(_Strict):
    """A numbered part of a report built from data: its title and the key prefixes it holds."""

    title: str
    prefixes: list[str] = Field(min_length=1)


class Layout(_Strict):
    """How `bcparse render` lays out a report built from data (bcparse/render/build.py): the
    subject line and section titles of this report type, and which key prefixes go where. A
    grammar's layout extends the layouts of the grammars it extends (common gives section I)."""

    subject: str | None = None  # "Kết quả công tác đối ngoại" (+ " năm YYYY")
    section: str | None = None  # the title of section II, the report type's own figures
    groups: list[LayoutGroup] = []  # section II's numbered parts
    profile_title: str | None = None  # the title of section I (the shared profile figures)
    profile_prefixes: list[str] = []  # key prefixes of section I, no sub-headings
    prefix_titles: dict[str, str] = {}  # the title of a part for a prefix no group names


class KeyDoc(_Strict):
    """How people read a key: its Vietnamese label ("Số hộ") and a one-line description."""

    label: str = Field(min_length=1)
    description: str = ""


class Grammar(_Strict):
    id: str
    title: str
    description: str | None = None
    extends: list[str] = []  # ids of grammars whose rules also apply (the shared 'common')
    match: Match = Match()
    figures: list[FigureRule] = []
    counts: list[CountRule] = []  # figures declared over bound quantities (bcparse.bind)
    records: list[RecordRule] = []
    tables: list[TableRule] = []
    lists: list[ListRule] = []
    relations: list[Relation] = []
    yoy_thresholds: dict[str, float] = {}  # key → largest plausible relative change year over year
    layout: Layout = Layout()  # how a report of this type is built from data (render)
    keys: dict[str, KeyDoc] = {}  # key → Vietnamese label and description (bcparse.keys)
    fuzzy: bool = False  # every rule's literal runs of 6+ letters match with one error (a rule's 'fuzzy' wins)
    file: str = ""  # set by the loader

    @field_validator("keys")
    @classmethod
    def _keys_ok(cls, v: dict[str, KeyDoc]) -> dict[str, KeyDoc]:
        for k in v:
            if not _KEY.match(k):
                raise ValueError(f"{k!r} is not a dotted lower-case key such as 'party.members'")
        return v

    @field_validator("id")
    @classmethod
    def _id_ok(cls, v: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", v):
            raise ValueError("an id is lower-case letters, digits and '_'")
        return v

    @model_validator(mode="after")
    def _fuzzy_patterns(self) -> Grammar:
        """A fuzzy rule's patterns are rewritten once, here (:func:`fuzzy_pattern`)."""
        rules: list[FigureRule | RecordRule | ListRule] = [*self.figures, *self.records, *self.lists]
        for rule in rules:
            if rule.fuzzy is None:
                rule.fuzzy = self.fuzzy
            if rule.fuzzy:
                rule.patterns = [fuzzy_pattern(p) for p in rule.patterns]
                if isinstance(rule, RecordRule):
                    rule.values = [fuzzy_pattern(p) for p in rule.values]
        return self


FigureRule.model_rebuild()


# ---------------------------------------------------------------------------------------------
# Loading with line numbers in errors
# ---------------------------------------------------------------------------------------------

def _node_line(root: yaml.Node, loc: tuple[Any, ...]) -> int | None:
    node: yaml.Node | None = root
    line = root.start_mark.line + 1 if root is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if k.value == part:
                    nxt = v
                    line = k.start_mark.line + 1
                    break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
        if node is None:
            break
    return line


def parse_grammar(text: str, file: str) -> Grammar:
    """Validate one grammar file's text; errors name the file, line and field."""
    try:
        data = load_yaml(text)
    except yaml.YAMLError as e:
        # where the broken construct starts ("while parsing a flow sequence") beats where parsing gave up
        mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        raise GrammarError(f"{file}:{line}: not valid YAML ({getattr(e, 'problem', e)})") from None
    if not isinstance(data, dict):
        raise GrammarError(f"{file}:1: a grammar file is a mapping with 'id', 'title', ...")
    try:
        g = Grammar.model_validate(data)
    except PydanticValidationError as e:
        err = e.errors()[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        root = yaml.compose(text)  # the nodes, for the line of the field (only when a file is refused)
        line = _node_line(root, loc) if root is not None else None
        field = ".".join(str(p) for p in loc) or "(top)"
        msg = err["msg"].removeprefix("Value error, ")
        raise GrammarError(f"{file}:{line or '?'}: field '{field}': {msg}") from None
    g.file = file
    return g


@functools.lru_cache(maxsize=8)
def _load(dirs: tuple[Path, ...]) -> tuple[Grammar, ...]:
    seen: dict[str, Grammar] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for f in sorted(d.glob("*.yaml")):
            g = parse_grammar(f.read_text(encoding="utf-8"), str(f))
            seen.setdefault(g.id, g)
    for g in seen.values():
        for parent in g.extends:
            if parent not in seen:
                raise GrammarError(f"{g.file}: field 'extends': no grammar with id {parent!r}")
    for g in seen.values():
        _check_no_cycle(g, seen)
    return tuple(seen.values())


def _check_no_cycle(g: Grammar, seen: dict[str, Grammar]) -> None:
    """Refuse ``extends`` that lead back to ``g`` (a extends b extends a): the chain would not end."""
    path = [g.id]
    stack = [(g.id, iter(g.extends))]
    on_path = {g.id}
    while stack:
        _, parents = stack[-1]
        parent = next(parents, None)
        if parent is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        if parent in on_path:
            loop = " -> ".join(path[path.index(parent):] + [parent])
            raise GrammarError(f"{g.file}: field 'extends': the grammars extend each other in a cycle ({loop})")
        on_path.add(parent)
        path.append(parent)
        stack.append((parent, iter(seen[parent].extends)))


def load_grammars() -> list[Grammar]:
    return list(_load(tuple(grammar_dirs())))


def get_grammar(gid: str) -> Grammar:
    for g in load_grammars():
        if g.id == gid:
            return g
    known = ", ".join(g.id for g in load_grammars())
    raise GrammarError(f"no grammar {gid!r} (known: {known})")


def chain(g: Grammar) -> list[Grammar]:
    """The grammar and the grammars it extends, shared ones first."""
    out: list[Grammar] = []
    for parent in g.extends:
        for p in chain(get_grammar(parent)):
            if p not in out:
                out.append(p)
    out.append(g)
    return out


def relations_for(grammar_id: str | None) -> list[Relation]:
    """Relations the audit checks for a report of this grammar (the shared ones when None)."""
    if grammar_id is None:
        gs = [g for g in load_grammars() if g.id == "common"]
    else:
        gs = chain(get_grammar(grammar_id))
    return [r for g in gs for r in g.relations]


def yoy_thresholds_for(grammar_id: str | None) -> dict[str, float]:
    out: dict[str, float] = {}
    gs = [g for g in load_grammars() if g.id == "common"] if grammar_id is None else chain(get_grammar(grammar_id))
    for g in gs:
        out.update(g.yoy_thresholds)
    return out


def declared_keys() -> frozenset[str]:
    """Every figure key the loaded grammars can produce (rules, records, tables, lists, relations)
    and the references' ``ref.*`` keys."""
    gs = load_grammars()
    ids = tuple(id(g) for g in gs)  # the loader caches its Grammar objects: same ids, same keys
    if _DECLARED[0] != ids:
        _DECLARED[:] = [ids, _declared(gs)]
    return _DECLARED[1]


_DECLARED: list[Any] = [None, frozenset()]


def _declared(gs: list[Grammar]) -> frozenset[str]:
    keys = {f"ref.{f}" for f in ("kind", "number", "symbol", "date")}

    def slot_fields(patterns: list[str]) -> set[str]:
        out = {m.group("field") for p in patterns for m in _PH.finditer(p) if m.group("field")}
        return out | {m.group(1) for p in patterns for m in re.finditer(r"\(\?P<([A-Za-z_][A-Za-z0-9_]*)>", p)}

    for g in gs:
        keys |= {c.key for c in g.counts}
        for r in g.figures:
            if r.key:
                keys.add(r.key)
                if r.listed is not None:
                    keys.add(f"{r.key}.listed")
            keys |= {f for f in slot_fields(r.patterns) if "." in f} | set(r.fields.values())
        keys |= {lr.key for lr in g.lists}
        for rec in g.records:
            names = slot_fields(rec.patterns + rec.values) | {"donor", "recipients"} | set(rec.fields)
            keys |= {rec.fields.get(n, f"{rec.id}.{n}") for n in names if not re.fullmatch(r"[vqz]\d+", n)}
        for t in g.tables:
            keys |= {t.fields.get(n, f"{t.record}.{n}") for n in t.columns}
            keys |= {f"{t.record}.table_total.{n}" for n in t.columns}
        for rel in g.relations:
            keys |= {k for k in (rel.total, rel.stated, rel.listed, rel.field, rel.lhs, rel.rhs, *rel.parts,
                                 *rel.factors) if k}
    return frozenset(keys)
