"""A parsed query as an SQLite FTS5 MATCH expression. Pure.

Every word is written as a quoted string (so no word is ever an FTS5 keyword, column name or
operator) and every group is parenthesized (so precedence never depends on FTS5's rules).
FTS5 has no "match everything", so a query made only of exclusions (``-llm``) is returned as
its exclusion, to be applied to a listing.
"""

from __future__ import annotations

from papersift.model import FULLTEXT_FIELDS, QueryAnd, QueryNode, QueryNot, QueryOr, TextMatch


def _string(match: TextMatch) -> str:
    body = " ".join(match.tokens).replace('"', '""')
    text = f'"{body}"' + ("*" if match.prefix else "")
    if match.field in FULLTEXT_FIELDS:
        return f"{match.field} : {text}"
    return text


def expression(node: QueryNode) -> str | None:
    """The MATCH expression of ``node``, or ``None`` when it matches nothing by itself (a lone
    exclusion, or a group of them)."""
    if isinstance(node, TextMatch):
        return _string(node) if node.tokens else None
    if isinstance(node, QueryNot):
        return None
    if isinstance(node, QueryOr):
        options = [e for e in (expression(c) for c in node.children) if e]
        if not options:
            return None
        return options[0] if len(options) == 1 else " OR ".join(f"({e})" for e in options)
    required = [e for e in (expression(c) for c in node.children) if e]
    if not required:
        return None
    text = required[0] if len(required) == 1 else " AND ".join(f"({e})" for e in required)
    for child in node.children:
        if isinstance(child, QueryNot):
            excluded = _any(child.child)
            if excluded:
                text = f"({text}) NOT ({excluded})"
    return text


def _any(node: QueryNode) -> str | None:
    """What a NOT excludes (a double negation inside is dropped: it excludes nothing)."""
    return expression(node)


def split(node: QueryNode | None) -> tuple[str | None, str | None]:
    """``(match, exclude)``: what a paper must match, and what it must not (for a query with
    nothing to match, only to exclude). Both ``None`` when the query says nothing."""
    if node is None:
        return None, None
    match = expression(node)
    if match:
        return match, None
    if isinstance(node, QueryNot):
        return None, _any(node.child)
    if isinstance(node, QueryAnd):
        excluded = [
            e for e in (_any(c.child) for c in node.children if isinstance(c, QueryNot)) if e
        ]
        if excluded:
            return None, " OR ".join(f"({e})" for e in excluded)
    return None, None
