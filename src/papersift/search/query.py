"""Any string a user types becomes a structured query; no string is a syntax error.

The language, forgiving by design:

- words match anywhere (title, authors, abstract), all of them (AND is implied); ``GPT-4`` is
  the phrase ``gpt 4``, as the index splits it;
- ``"a phrase"`` matches those words in order (an unclosed quote runs to the end);
- ``transform*`` matches words starting with ``transform``;
- ``AND``, ``OR``, ``NOT`` (upper case) and ``-word`` combine; ``( … )`` groups. Precedence is
  NOT, then AND, then OR: ``a b OR c`` is ``(a AND b) OR c``;
- fields: ``title:``/``ti:``, ``abstract:``/``abs:``, ``author:``/``au:`` restrict a word, phrase
  or group to one field; ``cat:cs.CL`` (``cat:cs`` for the archive) and ``year:2025``,
  ``year:2023-2025``, ``year:>=2024`` filter by metadata wherever they appear (``-cat:`` excludes).

Anything else is text: stray operators and parentheses are dropped, unknown ``x:`` prefixes are
words, punctuation separates words. A text of more than :data:`LONG_QUERY` words (a pasted
abstract) has no syntax at all: it finds papers with any of its words, best matches first.
Very long input is cut at :data:`MAX_CHARS`, nesting at :data:`MAX_DEPTH` and the number of
words at :data:`MAX_TERMS`, with a note saying so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date

from papersift.model import (
    FULLTEXT_FIELDS,
    QueryAnd,
    QueryNode,
    QueryNot,
    QueryOr,
    SearchFilters,
    TextMatch,
)

MAX_CHARS = 8000  # a title and an abstract fit; a pasted paper is cut
MAX_TERMS = 256  # words and phrases kept
MAX_DEPTH = 8  # nested groups kept
MAX_PHRASE = 32  # words kept in one phrase
MAX_TOKEN = 64  # characters kept of one word
LONG_QUERY = 40  # more words than this: a pasted text (an abstract), searched by example

TEXT_FIELDS = {
    "title": "title",
    "ti": "title",
    "abstract": "abstract",
    "abs": "abstract",
    "author": "authors",
    "authors": "authors",
    "au": "authors",
}
FILTER_FIELDS = {"cat": "cat", "category": "cat", "year": "year"}

# English function words: left out of relaxed queries and queries by example
_FUNCTION_WORDS = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up upon us very via
was we were what when where which while who whom why will with within without would you your
yours yourself yourselves
"""
STOPWORDS = frozenset(_FUNCTION_WORDS.split())

_TOKEN = re.compile(r"[^\W_]+")
_FIELD = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})
_YEAR_RANGE = re.compile(r"(\d{4})?\s*(?:-|\.\.|–|to)\s*(\d{4})?")
_YEAR_CMP = re.compile(r"(>=|<=|>|<|=)?(\d{4})")
_CATEGORY = re.compile(r"[A-Za-z][A-Za-z0-9.\-]{0,31}")


def tokens(text: str) -> tuple[str, ...]:
    """The words of ``text`` as the full-text index sees them: runs of letters and digits, in
    lower case (accents are left to the index, which folds them)."""
    found = _TOKEN.findall(text.casefold())
    if any(len(t) > MAX_TOKEN for t in found):
        return tuple(t[:MAX_TOKEN] for t in found)
    return tuple(found)


# --- lexing ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Lex:
    kind: str  # word | phrase | lpar | rpar | and | or | not | neg | field
    text: str = ""


def _lex(text: str) -> list[_Lex]:
    out: list[_Lex] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "(":
            out.append(_Lex("lpar"))
            i += 1
        elif c == ")":
            out.append(_Lex("rpar"))
            i += 1
        elif c == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            out.append(_Lex("phrase", text[i + 1 : end]))
            i = end + 1
        elif c in "-+" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in "-+":
            if c == "-":
                out.append(_Lex("neg"))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            out.extend(_word(text[i:j]) if j > i else [])
            i = max(j, i + 1)
    return out


def _word(word: str) -> list[_Lex]:
    if word in ("AND", "&&"):
        return [_Lex("and")]
    if word in ("OR", "||"):
        return [_Lex("or")]
    if word == "NOT":
        return [_Lex("not")]
    found = _FIELD.fullmatch(word)
    if found:
        name = found.group(1).lower()
        if name in TEXT_FIELDS or name in FILTER_FIELDS:
            rest = found.group(2)
            return [_Lex("field", name), *(_word(rest) if rest else [])]
    return [_Lex("word", word)]


# --- parsing --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Filter:
    """A metadata filter met in the text; lifted out of the tree after parsing."""

    kind: str  # cat | year
    values: tuple[str, ...]


_Node = QueryNode | _Filter


@dataclass(slots=True)
class _Parser:
    lexes: list[_Lex]
    pos: int = 0
    leaves: int = 0
    notes: list[str] = field(default_factory=list)

    def peek(self) -> str | None:
        return self.lexes[self.pos].kind if self.pos < len(self.lexes) else None

    def take(self) -> _Lex:
        lex = self.lexes[self.pos]
        self.pos += 1
        return lex

    def parse(self) -> _Node | None:
        nodes: list[_Node] = []
        while self.pos < len(self.lexes):
            node = self.parse_or(0)
            if node is not None:
                nodes.append(node)
            if self.peek() in ("rpar", "or", "and"):  # stray: nothing to close or join
                self.take()
        return _join(nodes, implicit=True)

    def parse_or(self, depth: int) -> _Node | None:
        options = [self.parse_and(depth)]
        while self.peek() == "or":
            self.take()
            options.append(self.parse_and(depth))
        kept = [o for o in options if o is not None]
        if len(kept) <= 1:
            return kept[0] if kept else None
        return QueryOr(tuple(kept))  # type: ignore[arg-type]  # filters are lifted later

    def parse_and(self, depth: int) -> _Node | None:
        items: list[_Node] = []
        explicit = False
        while self.peek() not in (None, "rpar", "or"):
            if self.peek() == "and":
                self.take()
                explicit = True
                continue
            node = self.parse_unary(depth)
            if node is not None:
                items.append(node)
        return _join(items, implicit=not explicit)

    def parse_unary(self, depth: int) -> _Node | None:
        if self.peek() in ("not", "neg"):
            self.take()
            child = self.parse_unary(depth)
            if child is None:
                return None
            if isinstance(child, QueryNot):
                return child.child
            return QueryNot(child)  # type: ignore[arg-type]
        return self.parse_atom(depth, None)

    def parse_atom(self, depth: int, in_field: str | None) -> _Node | None:
        kind = self.peek()
        if kind is None or kind in ("rpar", "or", "and", "not", "neg"):
            return None
        lex = self.take()
        if lex.kind == "field":
            return self.parse_field(depth, lex.text)
        if lex.kind == "lpar":
            if depth >= MAX_DEPTH:
                self._note(f"groups nested deeper than {MAX_DEPTH} are flattened")
                return None
            inner = self.parse_or(depth + 1)
            if self.peek() == "rpar":
                self.take()
            return inner
        if self.leaves >= MAX_TERMS:
            self._note(f"only the first {MAX_TERMS} words are used")
            return None
        if lex.kind == "phrase":
            words = tokens(lex.text)
            if len(words) > MAX_PHRASE:
                self._note(f"phrases are cut at {MAX_PHRASE} words")
                words = words[:MAX_PHRASE]
            return self._leaf(words, False, in_field)
        word = lex.text
        prefix = word.endswith("*")
        words = tokens(word.rstrip("*"))
        if prefix and words and len(words[-1]) < 2:
            prefix = False  # "a*" would scan the whole vocabulary; take it as the word
        return self._leaf(words, prefix, in_field)

    def parse_field(self, depth: int, name: str) -> _Node | None:
        if name in TEXT_FIELDS:
            node = self.parse_atom(depth, TEXT_FIELDS[name])
            return _in_field(node, TEXT_FIELDS[name]) if node is not None else None
        # a filter: take the raw words of the next word, phrase or group
        kind = self.peek()
        values: list[str] = []
        if kind in ("word", "phrase"):
            values.append(self.take().text)
        elif kind == "lpar":
            self.take()
            level = 1
            while self.pos < len(self.lexes) and level:
                lex = self.take()
                level += {"lpar": 1, "rpar": -1}.get(lex.kind, 0)
                if lex.kind in ("word", "phrase"):
                    values.extend(lex.text.split())
        return _Filter(FILTER_FIELDS[name], tuple(values)) if values else None

    def _leaf(self, words: tuple[str, ...], prefix: bool, in_field: str | None) -> TextMatch | None:
        if not words:
            return None
        self.leaves += 1
        return TextMatch(words, prefix, in_field)

    def _note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def _join(items: list[_Node], *, implicit: bool) -> _Node | None:
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    return QueryAnd(tuple(items), implicit=implicit)  # type: ignore[arg-type]


def _in_field(node: _Node, name: str) -> _Node:
    """``node`` with every leaf that names no field restricted to ``name``."""
    if isinstance(node, TextMatch):
        return node if node.field else replace(node, field=name)
    if isinstance(node, QueryNot):
        return QueryNot(_in_field(node.child, name))  # type: ignore[arg-type]
    if isinstance(node, QueryAnd):
        return QueryAnd(tuple(_in_field(c, name) for c in node.children), node.implicit)  # type: ignore[misc]
    if isinstance(node, QueryOr):
        return QueryOr(tuple(_in_field(c, name) for c in node.children))  # type: ignore[misc]
    return node


# --- the parsed query -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Query:
    """What a user's string asks for: a full-text tree and metadata filters."""

    raw: str
    root: QueryNode | None  # None: no words (a filter-only or empty query)
    categories: tuple[str, ...] = ()
    exclude_categories: tuple[str, ...] = ()
    since: str | None = None  # from year: filters
    until: str | None = None
    semantic_text: str = ""  # what to embed for search by meaning ("" for none)
    plain: bool = True  # words, phrases and prefixes only: no operators, fields or exclusions
    notes: tuple[str, ...] = ()

    @property
    def has_filters(self) -> bool:
        return bool(self.categories or self.exclude_categories or self.since or self.until)

    @property
    def empty(self) -> bool:
        """Nothing to search for and nothing to filter by."""
        return self.root is None and not self.has_filters

    @property
    def terms(self) -> tuple[str, ...]:
        """The positive words and phrases, in order (for explanations)."""
        return tuple(dict.fromkeys(leaf.text for leaf in positive_leaves(self.root)))

    def filters(self, base: SearchFilters | None = None) -> SearchFilters:
        """``base`` (from flags) narrowed by the filters written in the query."""
        base = base or SearchFilters()
        since = max((d for d in (base.since, self.since) if d), default=None)
        until = min((d for d in (base.until, self.until) if d), default=None)
        categories = base.categories
        if self.categories:  # both must hold: keep the query's where flags say nothing
            categories = _narrow(base.categories, self.categories)
        return replace(
            base,
            since=since,
            until=until,
            categories=categories,
            exclude_categories=tuple(
                dict.fromkeys((*base.exclude_categories, *self.exclude_categories))
            ),
        )


def _narrow(flags: tuple[str, ...], written: tuple[str, ...]) -> tuple[str, ...]:
    if not flags:
        return written
    # a paper must be in one of ``flags`` and in one of ``written``: keep the more specific
    # of each pair that overlaps ("cs" and "cs.CL" → "cs.CL"); none overlapping → impossible
    kept = []
    for a in flags:
        for b in written:
            la, lb = a.lower(), b.lower()
            if la == lb or lb.startswith(la + "."):
                kept.append(b)
            elif la.startswith(lb + "."):
                kept.append(a)
    return tuple(dict.fromkeys(kept)) or ("\x00none",)


def positive_leaves(node: QueryNode | None) -> list[TextMatch]:
    """The leaves a matching paper may contain (those not under a NOT)."""
    if node is None or isinstance(node, QueryNot):
        return []
    if isinstance(node, TextMatch):
        return [node]
    return [leaf for child in node.children for leaf in positive_leaves(child)]


def parse(text: str) -> Query:
    """Parse any string. Never raises for any ``str``."""
    raw = text
    notes: list[str] = []
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        notes.append(f"the query is cut at {MAX_CHARS:,} characters")
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = "".join(c if c.isprintable() or c.isspace() else " " for c in text)
    if len(text.split()) > LONG_QUERY:
        # nobody types 40 words of syntax: a title and abstract, a paragraph. Its brackets,
        # dashes and capitals (an "AND gate") are text; any of its words may match.
        root = words_query(text)
        return Query(
            raw, root, semantic_text=" ".join(text.split()) if root else "", notes=tuple(notes)
        )
    parser = _Parser(_lex(text))
    tree = parser.parse()
    notes.extend(parser.notes)
    lifted = _Lifted()
    root = _simplify(_lift(tree, lifted, negated=False))
    since, until = _years(lifted.years, notes)
    plain = _plain(root)
    if plain and not (lifted.categories or lifted.excluded or lifted.years):
        semantic = " ".join(text.split())  # the words as written: the model reads punctuation
    else:
        semantic = " ".join(
            leaf.text.rstrip("*") for leaf in positive_leaves(root) if leaf.field != "authors"
        )
    return Query(
        raw=raw,
        root=root,
        categories=_categories(lifted.categories, notes),
        exclude_categories=_categories(lifted.excluded, notes),
        since=since,
        until=until,
        semantic_text=semantic if root is not None else "",
        plain=plain,
        notes=tuple(notes),
    )


def _plain(node: QueryNode | None) -> bool:
    """Only words joined by spaces (phrases and prefixes allowed): nothing that says "only
    these" (typed operators, exclusions, fields)."""
    if node is None:
        return True
    if isinstance(node, TextMatch):
        return node.field is None
    if isinstance(node, QueryAnd):
        return node.implicit and all(_plain(c) for c in node.children)
    return False


@dataclass(slots=True)
class _Lifted:
    categories: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)


def _lift(node: _Node | None, out: _Lifted, *, negated: bool) -> QueryNode | None:
    """The tree without its filters, which go to ``out`` (under a NOT a category excludes)."""
    if node is None:
        return None
    if isinstance(node, _Filter):
        if node.kind == "cat":
            (out.excluded if negated else out.categories).extend(node.values)
        elif negated:
            pass  # "not in these years" is not a range; ignored
        else:
            out.years.extend(node.values)
        return None
    if isinstance(node, TextMatch):
        return node
    if isinstance(node, QueryNot):
        child = _lift(node.child, out, negated=not negated)
        return QueryNot(child) if child is not None else None
    kept = tuple(
        c for c in (_lift(child, out, negated=negated) for child in node.children) if c is not None
    )
    if isinstance(node, QueryAnd):
        return QueryAnd(kept, node.implicit) if kept else None
    return QueryOr(kept) if kept else None


def _simplify(node: QueryNode | None) -> QueryNode | None:
    """Flatten nested groups of one kind, drop empty ones, unwrap single children."""
    if node is None or isinstance(node, TextMatch):
        return node
    if isinstance(node, QueryNot):
        child = _simplify(node.child)
        if child is None:
            return None
        return child.child if isinstance(child, QueryNot) else QueryNot(child)
    children: list[QueryNode] = []
    for child in node.children:
        simple = _simplify(child)
        if simple is None:
            continue
        if isinstance(simple, QueryAnd | QueryOr) and type(simple) is type(node):
            children.extend(simple.children)
        else:
            children.append(simple)
    unique = tuple(dict.fromkeys(children))
    if not unique:
        return None
    if len(unique) == 1:
        return unique[0]
    if isinstance(node, QueryAnd):
        return QueryAnd(unique, node.implicit)
    return QueryOr(unique)


def _categories(values: list[str], notes: list[str]) -> tuple[str, ...]:
    kept: list[str] = []
    for value in values:
        value = value.strip(".,;*")
        if _CATEGORY.fullmatch(value):
            kept.append(value)
        elif value:
            notes.append(f"cat:{value[:40]} is not a category; ignored")
    return tuple(dict.fromkeys(kept))


def _years(values: list[str], notes: list[str]) -> tuple[str | None, str | None]:
    """The date range of every ``year:`` filter together (they must all hold)."""
    since: str | None = None
    until: str | None = None
    for value in values:
        low, high = _year_range(value)
        if low is None and high is None:
            notes.append(f"year:{value[:40]} is not a year or range of years; ignored")
            continue
        if low is not None:
            since = max(since or low, low)
        if high is not None:
            until = min(until or high, high)
    return since, until


def _year_range(value: str) -> tuple[str | None, str | None]:
    value = value.strip()
    cmp = _YEAR_CMP.fullmatch(value)
    if cmp:
        op, year = cmp.group(1) or "=", int(cmp.group(2))
        first, last = f"{year:04d}-01-01", f"{year:04d}-12-31"
        return {
            "=": (first, last),
            ">=": (first, None),
            ">": (f"{year + 1:04d}-01-01", None),
            "<=": (None, last),
            "<": (None, f"{year - 1:04d}-12-31"),
        }[op]
    ranged = _YEAR_RANGE.fullmatch(value)
    if ranged and (ranged.group(1) or ranged.group(2)):
        low, high = ranged.group(1), ranged.group(2)
        return (f"{low}-01-01" if low else None, f"{high}-12-31" if high else None)
    return None, None


def relaxations(node: QueryNode | None) -> list[QueryNode]:
    """Looser forms of a query whose words were only joined by spaces, each looser than the
    one before: all words but one (for 3 to 8 words), then any word; stop words are left out
    when others remain, exclusions stay. Empty when there is nothing looser (one word, or a
    typed ``AND``)."""
    if not isinstance(node, QueryAnd) or not node.implicit:
        return []
    positive = [c for c in node.children if not isinstance(c, QueryNot)]
    negative = [c for c in node.children if isinstance(c, QueryNot)]
    if len(positive) < 2:
        return []
    content = list(dict.fromkeys([c for c in positive if not _is_stopword(c)] or positive))
    forms: list[QueryNode] = []
    if 3 <= len(content) <= 8:
        forms.append(
            QueryOr(
                tuple(
                    QueryAnd(tuple(c for c in content if c is not left), implicit=False)
                    for left in content
                )
            )
        )
    forms.append(content[0] if len(content) == 1 else QueryOr(tuple(content)))
    if negative:
        forms = [QueryAnd((form, *negative), implicit=False) for form in forms]
    return forms


def relaxed(node: QueryNode | None) -> QueryNode | None:
    """The loosest of :func:`relaxations`: any of the words (``None`` if there is none)."""
    forms = relaxations(node)
    return forms[-1] if forms else None


def _is_stopword(node: QueryNode) -> bool:
    return (
        isinstance(node, TextMatch)
        and len(node.tokens) == 1
        and not node.prefix
        and node.tokens[0] in STOPWORDS
    )


def _fold(word: str) -> str:
    """A word as the index compares it: accents removed (remove_diacritics 2)."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def matched_terms(node: QueryNode | None, fields: dict[str, str]) -> tuple[str, ...]:
    """The words of a paper (``fields``: title, authors, abstract → text) that the positive
    words, phrases and prefixes of ``node`` match: field by field in that order, in the order
    they appear, each once. Pure: the same matching as the index (no stemming, case and
    accents folded)."""
    leaves = positive_leaves(node)
    if not leaves:
        return ()
    single: dict[str | None, set[str]] = {}  # plain one-word leaves, by field: set lookups
    other: list[tuple[TextMatch, list[str]]] = []  # phrases and prefixes
    for leaf in leaves:
        parts = [_fold(t) for t in leaf.tokens]
        if len(parts) == 1 and not leaf.prefix:
            single.setdefault(leaf.field, set()).add(parts[0])
        else:
            other.append((leaf, parts))
    found: dict[str, None] = {}
    for name in FULLTEXT_FIELDS:
        text = fields.get(name) or ""
        words = _TOKEN.findall(text.casefold())  # as the index reads it: no word cut short
        folded = words if text.isascii() else [_fold(w) for w in words]
        wanted = single.get(None, set()) | single.get(name, set())
        hit = {i for i, word in enumerate(folded) if word in wanted}
        for leaf, parts in other:
            if leaf.field not in (None, name):
                continue
            size = len(parts)
            for i in range(len(folded) - size + 1):
                if folded[i] != parts[0] and size > 1:
                    continue
                if folded[i : i + size - 1] != parts[:-1]:
                    continue
                last = folded[i + size - 1]
                if last == parts[-1] or (leaf.prefix and last.startswith(parts[-1])):
                    hit.update(range(i, i + size))
        found.update(dict.fromkeys(words[i] for i in sorted(hit)))
    return tuple(found)


def words_query(text: str) -> QueryNode | None:
    """Any of the distinct words of ``text`` (stop words left out): a query by example, for a
    title and abstract, where the text's punctuation must not act as syntax."""
    words = [w for w in dict.fromkeys(tokens(text[:MAX_CHARS])) if w not in STOPWORDS]
    leaves = tuple(TextMatch((w,)) for w in words[:MAX_TERMS])
    if not leaves:
        return None
    return leaves[0] if len(leaves) == 1 else QueryOr(leaves)


def parse_day(text: str, *, end: bool = False) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as the first (or with ``end``, the last) day it
    covers, ``YYYY-MM-DD``. Raises :class:`ValueError` for anything else."""
    value = text.strip()
    parts = value.split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            year = int(parts[0])
            return date(year, 12, 31).isoformat() if end else date(year, 1, 1).isoformat()
        if len(parts) == 2 and len(parts[0]) == 4:
            year, month = int(parts[0]), int(parts[1])
            if not 1 <= month <= 12:
                raise ValueError(month)
            if end:
                following = date(year + month // 12, month % 12 + 1, 1)
                return date.fromordinal(following.toordinal() - 1).isoformat()
            return date(year, month, 1).isoformat()
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"not a date: {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from None
