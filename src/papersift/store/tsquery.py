"""PostgreSQL full text, the way the SQLite FTS5 index reads text. Pure.

Documents and queries are tokenized here, in Python, by one rule - runs of letters and digits,
case folded, accents removed, no stemming (FTS5's ``unicode61 remove_diacritics 2``) - and
handed to PostgreSQL as ``tsvector`` / ``tsquery`` literals, so its own parser (which reads
``gpt-4`` or ``3.5`` its own way) never decides what a word is and the same query language
finds the same papers on both backends.

Fields are weights: title ``A``, authors ``B``, abstract ``C`` (``ts_rank`` weighs them 4:2:1,
as the SQLite store's ``bm25`` does). Every lexeme is quoted (no user string is ever syntax) and
every group parenthesized. A query made only of exclusions is returned as its exclusion, to be
applied to a listing, as :mod:`papersift.store.fts5` does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from papersift.model import FULLTEXT_FIELDS, QueryAnd, QueryNode, QueryNot, QueryOr, TextMatch

WEIGHTS = {"title": "A", "authors": "B", "abstract": "C"}
RANK_WEIGHTS = "{0, 0.25, 0.5, 1.0}"  # ts_rank's D, C, B, A: abstract 1, authors 2, title 4
MAX_POSITION = 16383  # PostgreSQL keeps word positions up to this
MAX_POSITIONS = 255  # positions kept per word and document

_TOKEN = re.compile(r"[^\W_]+")


def fold(word: str) -> str:
    """A word as the index compares it: accents removed (FTS5's remove_diacritics 2)."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of ``text`` as the index reads them (case and accents folded)."""
    found = _TOKEN.findall(text.casefold())
    return found if text.isascii() else [f for f in (fold(w) for w in found) if f]


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def document(title: str, authors: Iterable[str], abstract: str) -> str:
    """The ``tsvector`` literal of a paper: every word with its positions and field weight.
    Fields are one position apart, so a phrase never runs from one field into the next."""
    positions: dict[str, list[str]] = {}
    at = 0
    for name, text in (("title", title), ("authors", " ".join(authors)), ("abstract", abstract)):
        weight = WEIGHTS[name]
        for word in words(text):
            at = min(at + 1, MAX_POSITION)
            kept = positions.setdefault(word, [])
            if len(kept) < MAX_POSITIONS:
                kept.append(f"{at}{weight}")
        at = min(at + 1, MAX_POSITION)
    return " ".join(f"{_quote(word)}:{','.join(where)}" for word, where in positions.items())


def _leaf(match: TextMatch) -> str | None:
    parts = [w for token in match.tokens for w in words(token)]
    if not parts:
        return None
    weight = WEIGHTS[match.field] if match.field in FULLTEXT_FIELDS else ""
    items = [f"{_quote(w)}:{weight}" if weight else _quote(w) for w in parts]
    if match.prefix:
        items[-1] = f"{_quote(parts[-1])}:*{weight}"
    return items[0] if len(items) == 1 else "(" + " <-> ".join(items) + ")"


def expression(node: QueryNode) -> str | None:
    """The ``tsquery`` text of ``node``, or ``None`` when it matches nothing by itself (a lone
    exclusion, or a group of them)."""
    if isinstance(node, TextMatch):
        return _leaf(node)
    if isinstance(node, QueryNot):
        return None
    if isinstance(node, QueryOr):
        options = [e for e in (expression(c) for c in node.children) if e]
        if not options:
            return None
        return options[0] if len(options) == 1 else " | ".join(f"({e})" for e in options)
    required = [e for e in (expression(c) for c in node.children) if e]
    if not required:
        return None
    parts = [f"({e})" for e in required]
    for child in node.children:
        if isinstance(child, QueryNot):
            excluded = expression(child.child)
            if excluded:
                parts.append(f"!({excluded})")
    return parts[0][1:-1] if len(parts) == 1 else " & ".join(parts)


def split(node: QueryNode | None) -> tuple[str | None, str | None]:
    """``(match, exclude)`` tsquery texts: what a paper must match, and what it must not (for a
    query with nothing to match, only to exclude). Both ``None`` when the query says nothing."""
    if node is None:
        return None, None
    match = expression(node)
    if match:
        return match, None
    if isinstance(node, QueryNot):
        return None, expression(node.child)
    if isinstance(node, QueryAnd):
        excluded = [
            e for e in (expression(c.child) for c in node.children if isinstance(c, QueryNot)) if e
        ]
        if excluded:
            return None, " | ".join(f"({e})" for e in excluded)
    return None, None


def positive_leaves(node: QueryNode | None) -> list[TextMatch]:
    """The leaves a matching paper may contain (those not under a NOT)."""
    if node is None or isinstance(node, QueryNot):
        return []
    if isinstance(node, TextMatch):
        return [node]
    return [leaf for child in node.children for leaf in positive_leaves(child)]


def matched_words(node: QueryNode | None, fields: dict[str, str]) -> tuple[str, ...]:
    """The words of a paper (``fields``: title, authors, abstract → text) that the positive
    words, phrases and prefixes of ``node`` match: field by field in that order, in the order
    they appear, each once (in lower case, accents kept) - what FTS5's highlight() gives."""
    leaves = [(leaf, [w for t in leaf.tokens for w in words(t)]) for leaf in positive_leaves(node)]
    found: dict[str, None] = {}
    for name in FULLTEXT_FIELDS:
        text = fields.get(name) or ""
        raw = _TOKEN.findall(text.casefold())
        folded = raw if text.isascii() else [fold(w) for w in raw]
        hit: set[int] = set()
        for leaf, parts in leaves:
            if not parts or leaf.field not in (None, name):
                continue
            size = len(parts)
            for i in range(len(folded) - size + 1):
                if folded[i : i + size - 1] != parts[:-1]:
                    continue
                last = folded[i + size - 1]
                if last == parts[-1] or (leaf.prefix and last.startswith(parts[-1])):
                    hit.update(range(i, i + size))
        found.update(dict.fromkeys(raw[i] for i in sorted(hit)))
    return tuple(found)
