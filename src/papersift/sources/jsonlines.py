"""JSON lines: the arXiv bulk metadata snapshot (Kaggle ``arxiv-metadata-oai-snapshot.json``) and
generic paper lines (``title``, ``abstract``/``summary``, ``id``, ``authors``, ``categories`` …).

Also home of :func:`record_from_fields`, which turns one loosely named row (a JSON object, a CSV
row) into a :class:`Record`; the CSV format uses it too.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import orjson

from papersift.errors import ParseError
from papersift.model import Authority, Links, Record, Rejected, Version
from papersift.sources import ids
from papersift.sources.arxiv_abs import plain_name, rfc822_to_iso, split_authors
from papersift.sources.base import Format, Input, Item

# --- values -------------------------------------------------------------------------------------


class FieldError(ValueError):
    """A field holds a value of the wrong kind; names the field."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def kind(value: object) -> str:
    """What a JSON value is, for messages: ``a number``, ``a list`` …"""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def text_value(field: str, value: object, *, numbers: bool = False) -> str | None:
    """A text field: a string (empty → ``None``); with ``numbers``, a whole number is taken as
    its text too (ids such as ``corpusId: 470667``)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if numbers and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise FieldError(field, f"field {field!r} must be text, not {kind(value)}")


def _literal_list(text: str) -> list[object] | None:
    """``"['cs.CV', 'cs.LG']"`` (a Python or JSON list written as text) → its items."""
    stripped = text.strip()
    if not (stripped.startswith("[") and stripped.endswith("]")) or len(stripped) > 100_000:
        return None
    try:
        value = ast.literal_eval(stripped)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        try:
            value = json.loads(stripped)
        except ValueError:
            return None
    return value if isinstance(value, list) else None


def string_list(field: str, value: object, split: Callable[[str], list[str]]) -> list[str]:
    """A list of strings from a JSON list, a list written as text, or text ``split`` apart."""
    if value is None:
        return []
    if isinstance(value, str):
        items = _literal_list(value)
        if items is None:
            return [part for part in split(value) if part]
        value = items
    if not isinstance(value, list):
        raise FieldError(field, f"field {field!r} must be a list of strings, not {kind(value)}")
    out: list[str] = []
    for item in value:
        if isinstance(item, str):
            if item.strip():
                out.append(item.strip())
        elif isinstance(item, dict) and isinstance(item.get("name"), str):  # [{"name": …}]
            out.append(item["name"].strip())
        elif item is not None:
            raise FieldError(
                field, f"field {field!r} must be a list of strings, not a list of {kind(item)}s"
            )
    return out


def _flip(name: str) -> str:
    """``Last, First`` → ``First Last``."""
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        return f"{first} {last}".strip()
    return name


def authors_value(field: str, value: object) -> tuple[str, ...]:
    """Authors in order as plain names, from a list of names (or of ``{"name"}`` objects), a
    ``Last, First; Last, First`` string, or arXiv's ``A, B and C`` string."""
    if isinstance(value, str) and _literal_list(value) is None:
        if ";" in value:
            return tuple(n for n in (plain_name(_flip(p)) for p in value.split(";")) if n)
        return split_authors(value)
    if isinstance(value, int | float | bool | dict):
        raise FieldError(field, f"field {field!r} must be a list of names, not {kind(value)}")
    names = string_list(field, value, lambda text: [text])
    return tuple(n for n in (plain_name(name) for name in names) if n)


_ARXIV_CATEGORY = re.compile(r"^[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?$")


def _split_categories(text: str) -> list[str]:
    separator = r"[,;]" if re.search(r"[,;]", text) else r"\s+"
    return [part.strip() for part in re.split(separator, text) if part.strip()]


def categories_value(field: str, value: object) -> tuple[str, ...]:
    """Categories with arXiv's first (in the given order), then other codes (ACM ``I.2.7``, MSC)."""
    items: list[str] = []
    for item in string_list(field, value, _split_categories):
        items.extend(part.strip() for part in re.split(r"[,;]", item) if part.strip())
    arxiv = [c for c in items if _ARXIV_CATEGORY.match(c)]
    other = [c for c in items if not _ARXIV_CATEGORY.match(c)]
    return tuple(dict.fromkeys(arxiv + other))


_ISO = re.compile(
    r"^\d{4}(?:-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)


def date_value(field: str, value: object) -> str | None:
    """An ISO 8601 date or datetime from ISO text, RFC 822 text or a year number; ``None`` when
    the value is no date we can read."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if not isinstance(value, str):
        raise FieldError(field, f"field {field!r} must be a date, not {kind(value)}")
    text = value.strip()
    if not text:
        return None
    if _ISO.match(text):
        return text.replace(" ", "T", 1) if len(text) > 10 else text
    return rfc822_to_iso(text)


def listing_dates(field: str, value: object) -> tuple[str, ...]:
    out: list[str] = []
    for item in string_list(field, value, lambda text: re.split(r"[,;\s]+", text)):
        if not re.match(r"^\d{4}-\d{2}-\d{2}", item):
            raise FieldError(field, f"field {field!r} holds {item[:30]!r}, not a YYYY-MM-DD date")
        out.append(item[:10])
    return tuple(sorted(set(out)))


def count_value(field: str, value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise FieldError(field, f"field {field!r} must be a whole number, not {kind(value)}")


_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)


def doi_and_arxiv(text: str | None) -> tuple[str | None, tuple[str, int | None] | None]:
    """A DOI, normalized, unless it is arXiv's own (``10.48550/arXiv.2503.11731``), which names
    the arXiv id instead: ``(doi, None)`` or ``(None, (arxiv id, version))``."""
    doi = ids.normalize_doi(text)
    if doi is None:
        return None, None
    match = _ARXIV_DOI.match(doi)
    arxiv = ids.parse_arxiv_id(match.group(1)) if match else None
    return (None, arxiv) if arxiv else (doi, None)


# --- loosely named rows -------------------------------------------------------------------------

# canonical name → the spellings accepted (keys are compared lower case, '-' and ' ' as '_')
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "titles", "paper_title"),
    "abstract": ("abstract", "summary", "summaries", "abstract_note", "abstracts"),
    "id": ("id", "arxiv_id", "arxiv", "arxivid", "paper_id", "eprint", "identifier"),
    "doi": ("doi",),
    "authors": ("authors", "author", "author_names", "creators"),
    "categories": ("categories", "category", "terms", "subjects", "tags"),
    "primary_category": ("primary_category", "primary"),
    "published": (
        "published",
        "date",
        "submitted",
        "publication_date",
        "published_at",
        "created",
        "year",
        "publication_year",
    ),
    "updated": ("updated", "updated_at", "update_date", "last_updated"),
    "abs": ("abs", "abs_url", "url", "link", "html_url", "paper_url"),
    "pdf": ("pdf", "pdf_url", "pdf_link"),
    "code": ("code", "github", "code_url", "github_url", "repo", "repository"),
    "project": ("project", "project_page", "project_url", "homepage", "website"),
    "comments": ("comments", "comment", "note", "notes"),
    "journal_ref": ("journal_ref", "journal", "venue", "publication_title"),
    "license": ("license",),
    "listed": ("listing_dates", "listed", "listing_date", "announced"),
    "upvotes": ("upvotes", "likes", "votes"),
    "s2": ("ssid", "s2id", "s2_id", "paperid", "s2_paper_id", "semantic_scholar_id"),
    "corpus": ("corpusid", "corpus_id", "s2_corpus_id"),
}
_S2_ID = re.compile(r"^[0-9a-f]{40}$")
_NUMBERED = frozenset(("id", "s2", "corpus"))  # fields that may hold a bare number
_CANONICAL = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
_KEY_SPACE = re.compile(r"[\s-]+")
_seen_keys: dict[str, str | None] = {}


def canonical(key: str) -> str | None:
    """The canonical field a column/key name stands for, or ``None``."""
    try:
        return _seen_keys[key]
    except KeyError:
        name = _CANONICAL.get(_KEY_SPACE.sub("_", key.strip().lower()))
        if len(_seen_keys) < 10_000:
            _seen_keys[key] = name
        return name


def _pick(fields: Mapping[str, Any]) -> tuple[dict[str, tuple[str, Any]], dict[str, Any]]:
    """Known fields (canonical → (key as given, value); the first non-empty spelling wins) and the
    rest."""
    known: dict[str, tuple[str, Any]] = {}
    rest: dict[str, Any] = {}
    for key, value in fields.items():
        name = canonical(key)
        if name is None:
            rest[key] = value
        elif name not in known or (known[name][1] in (None, "", []) and value not in (None, "")):
            known[name] = (key, value)
        elif name == "published" and len(str(value or "")) > len(str(known[name][1])):
            known[name] = (key, value)  # the more precise date: 2017-06-12 over 2017
    return known, rest


_DOI_ID = re.compile(r"^\s*(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/", re.IGNORECASE)


_CODE_HOST = re.compile(r"^\s*https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)/", re.I)


def _is_pdf(url: str) -> bool:
    return url.lower().endswith(".pdf") or "arxiv.org/pdf/" in url.lower()


def record_from_fields(
    fields: Mapping[str, Any],
    *,
    source: str,
    ref: str,
    authority: Authority = Authority.AGGREGATOR,
) -> Record:
    """A record from one loosely named row; :class:`FieldError` names a field of the wrong kind.

    ``id`` is kept as the arXiv id or DOI it is; any other id goes to ``extra``. Semantic
    Scholar ids (``paperId``/``ssId``, ``corpusId``) are external ids."""
    known, rest = _pick(fields)

    def get(name: str) -> Any:
        return known[name][1] if name in known else None

    def key(name: str) -> str:
        return known[name][0] if name in known else name

    def text(name: str) -> str | None:
        item = known.get(name)
        if item is None:
            return None
        return text_value(item[0], item[1], numbers=name in _NUMBERED)

    title, abstract = text("title"), text("abstract")
    if not title and not abstract:
        raise FieldError(key("title"), "no title and no abstract")
    extra: list[tuple[str, str]] = []
    raw_id = text("id")
    abs_url, pdf_url, code_url = text("abs"), text("pdf"), text("code")
    if abs_url and not pdf_url and _is_pdf(abs_url):
        abs_url, pdf_url = None, abs_url
    if abs_url and not code_url and _CODE_HOST.match(abs_url):  # a "url" column naming the code
        abs_url, code_url = None, abs_url
    arxiv = ids.parse_arxiv_id(raw_id)
    doi, doi_arxiv = doi_and_arxiv(text("doi"))
    for url in (abs_url, pdf_url):
        if arxiv is None and url:
            arxiv = ids.parse_arxiv_id(url)
    arxiv = arxiv or doi_arxiv
    if raw_id and ids.parse_arxiv_id(raw_id) is None:
        id_doi, id_arxiv = doi_and_arxiv(raw_id) if _DOI_ID.match(raw_id) else (None, None)
        if id_arxiv and not arxiv:
            arxiv = id_arxiv
        elif id_doi and not doi:
            doi = id_doi
        elif not (id_doi and id_doi == doi):
            extra.append((key("id"), raw_id.strip()))
    categories = list(categories_value(key("categories"), get("categories")))
    primary = text("primary_category")
    if primary and primary.strip() in categories:
        categories.remove(primary.strip())
    if primary:
        categories.insert(0, primary.strip())
    published_raw, updated_raw = get("published"), get("updated")
    published = date_value(key("published"), published_raw)
    updated = date_value(key("updated"), updated_raw)
    for name, raw, value in (
        ("published", published_raw, published),
        ("updated", updated_raw, updated),
    ):
        if value is None and raw not in (None, ""):
            extra.append((key(name), str(raw)))
    external: list[tuple[str, str]] = []
    s2_id, corpus = text("s2"), text("corpus")
    if s2_id and _S2_ID.match(s2_id.strip()):
        external.append(("s2", s2_id.strip()))
    elif s2_id:
        extra.append((key("s2"), s2_id.strip()))
    if corpus and corpus.strip().isdigit():
        external.append(("corpus", corpus.strip()))
    elif corpus:
        extra.append((key("corpus"), corpus.strip()))
    for name, value in rest.items():
        if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value):
            extra.append((str(name), str(value)))
    return Record(
        source=source,
        ref=ref,
        authority=authority,
        arxiv_id=arxiv[0] if arxiv else None,
        version=arxiv[1] if arxiv else None,
        doi=doi,
        title=title,
        abstract=abstract,
        authors=authors_value(key("authors"), get("authors")),
        categories=tuple(categories),
        submitted=published,
        updated=updated,
        listed=listing_dates(key("listed"), get("listed")),
        links=Links(abs=abs_url, pdf=pdf_url, code=code_url, project=text("project")),
        comments=text("comments"),
        journal_ref=text("journal_ref"),
        license=text("license"),
        upvotes=count_value(key("upvotes"), get("upvotes")),
        external_ids=tuple(external),
        extra=tuple(extra),
    )


# --- reading lines ------------------------------------------------------------------------------


def _objects(source: Input) -> Iterator[tuple[int, dict[str, Any] | Rejected]]:
    """Each non-blank line as a JSON object, or a rejection naming the line."""
    for number, data in source.raw_lines():
        try:
            line = source.decode_line(number, data)
        except ParseError as exc:
            yield number, Rejected(f"line {number}", exc.reason)
            continue
        line = line.rstrip("\r\n")
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)  # fast; on error the stdlib parser says what is wrong
        except orjson.JSONDecodeError:
            try:
                json.loads(line)
                reason = "invalid JSON"
            except json.JSONDecodeError as exc:
                reason = f"invalid JSON: {exc.msg} (column {exc.colno})"
            except RecursionError:
                reason = "invalid JSON: nested too deeply"
            yield number, Rejected(f"line {number}", reason)
            continue
        except RecursionError:
            yield number, Rejected(f"line {number}", "invalid JSON: nested too deeply")
            continue
        if not isinstance(value, dict):
            yield number, Rejected(f"line {number}", f"expected a JSON object, not {kind(value)}")
            continue
        yield number, value


def _first_line(head: str) -> dict[str, Any] | str | None:
    """The first non-blank line of ``head``: parsed when it is a whole JSON object, the raw text
    when the head cuts it off, ``None`` when it is no JSON object."""
    text = head.lstrip("\ufeff \t\r\n")
    if not text.startswith("{"):
        return None
    line, newline, _ = text.partition("\n")
    if not newline and len(head.encode()) >= 60 * 1024:  # cut off by the head
        return line
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _has_keys(first: dict[str, Any] | str, *keys: str) -> bool:
    if isinstance(first, dict):
        return all(k in first for k in keys)
    return all(re.search(r'"' + re.escape(k) + r'"\s*:', first) for k in keys)


# --- the arXiv bulk snapshot --------------------------------------------------------------------


def _sniff_snapshot(head: str) -> bool:
    first = _first_line(head)
    if first is None:
        return False
    return _has_keys(first, "id", "submitter") or _has_keys(first, "versions", "authors_parsed")


_SNAPSHOT_TEXT = (
    "submitter",
    "title",
    "abstract",
    "comments",
    "journal-ref",
    "doi",
    "report-no",
    "categories",
    "license",
    "authors",
    "update_date",
)


def _snapshot_versions(value: object) -> list[Version]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldError("versions", f"field 'versions' must be a list, not {kind(value)}")
    versions: list[Version] = []
    for item in value:
        if not isinstance(item, dict):
            raise FieldError("versions", f"field 'versions' holds {kind(item)}, not an object")
        label = item.get("version")
        match = re.fullmatch(r"v?(\d+)", label.strip()) if isinstance(label, str) else None
        if not match:
            raise FieldError("versions", f"field 'versions' has a bad version label {label!r}")
        created = item.get("created")
        date = rfc822_to_iso(created) if isinstance(created, str) else None
        if created is not None and date is None:
            raise FieldError("versions", f"field 'versions' has a bad date {created!r}")
        versions.append(Version(int(match.group(1)), date, text_value("size", item.get("size"))))
    return sorted(versions, key=lambda v: v.number)


def _snapshot_authors(data: Mapping[str, Any]) -> tuple[str, ...]:
    if isinstance(data.get("authors"), str) and data["authors"].strip():
        return split_authors(data["authors"])
    parsed = data.get("authors_parsed")
    if parsed is None:
        return authors_value("authors", data.get("authors"))
    if not isinstance(parsed, list) or not all(
        isinstance(p, list) and all(isinstance(x, str) for x in p) for p in parsed
    ):
        raise FieldError(
            "authors_parsed", "field 'authors_parsed' must be a list of [last, first, suffix]"
        )
    names = (" ".join(x for x in (p[1:2] + p[:1] + p[2:3]) if x.strip()) for p in parsed)
    return tuple(n for n in (plain_name(name) for name in names) if n)


def snapshot_record(data: Mapping[str, Any], ref: str) -> Record:
    values = {name: text_value(name, data.get(name)) for name in _SNAPSHOT_TEXT}
    raw_id = text_value("id", data.get("id"), numbers=True)
    parsed = ids.parse_arxiv_id(raw_id)
    if parsed is None:
        reason = f"not an arXiv identifier: {raw_id[:60]!r}" if raw_id else "no arXiv id"
        raise FieldError("id", reason)
    arxiv_id, id_version = parsed
    if not values["title"] and not values["abstract"]:
        raise FieldError("title", "no title and no abstract")
    versions = _snapshot_versions(data.get("versions"))
    extra = [
        (name.replace("-", "_"), value.strip())
        for name in ("submitter", "report-no", "update_date")
        if (value := values[name])
    ]
    return Record(
        source="arxiv-snapshot",
        ref=ref,
        authority=Authority.ARXIV,
        arxiv_id=arxiv_id,
        version=id_version or (versions[-1].number if versions else None),
        doi=doi_and_arxiv(values["doi"].split()[0])[0] if values["doi"] else None,
        title=values["title"],
        abstract=values["abstract"].strip() if values["abstract"] else None,
        authors=_snapshot_authors(data),
        categories=tuple((values["categories"] or "").split()),
        submitted=versions[0].date if versions else None,
        updated=versions[-1].date if versions else None,
        versions=tuple(versions),
        links=Links(
            abs=f"https://arxiv.org/abs/{arxiv_id}", pdf=f"https://arxiv.org/pdf/{arxiv_id}"
        ),
        comments=values["comments"],
        journal_ref=values["journal-ref"],
        license=values["license"],
        extra=tuple(extra),
    )


def _records(source: Input, make: Callable[[dict[str, Any], str], Record]) -> Iterator[Item]:
    """``make(object, ref)`` for each line's object; a field error rejects that line only."""
    for number, value in _objects(source):
        if isinstance(value, Rejected):
            yield value
            continue
        ref = f"line {number}"
        try:
            yield make(value, ref)
        except FieldError as exc:
            yield Rejected(ref, exc.reason, exc.field)


def parse_snapshot(source: Input) -> Iterator[Item]:
    return _records(source, snapshot_record)


# --- generic JSON lines -------------------------------------------------------------------------


def _sniff_jsonl(head: str) -> bool:
    first = _first_line(head)
    if first is None or not _has_keys(first, "title"):
        return False
    return _has_keys(first, "abstract") or _has_keys(first, "summary")


def parse_jsonl(source: Input) -> Iterator[Item]:
    return _records(source, lambda value, ref: record_from_fields(value, source="jsonl", ref=ref))


FORMATS = (
    Format(
        "arxiv-snapshot",
        "arXiv bulk metadata snapshot (Kaggle arxiv-metadata-oai-snapshot.json), plain or .gz",
        _sniff_snapshot,
        parse_snapshot,
    ),
    Format(
        "jsonl",
        "JSON lines with title and abstract/summary (id, authors, categories, published, url …)",
        _sniff_jsonl,
        parse_jsonl,
    ),
)
