"""Identifiers: arXiv ids and DOIs in every spelling we meet, reduced to one form; content keys."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# New style: YYMM.NNNN (2007-2014) or YYMM.NNNNN (2015-); old style: archive(.SUB)/YYMMNNN.
_NEW = r"(?P<new>\d{4}\.\d{4,5})"
_OLD = r"(?P<old>[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})"
_VERSION = r"(?:v(?P<version>\d+))?"
_ARXIV_RE = re.compile(
    r"^(?:arxiv:|oai:arxiv\.org:)?(?:" + _NEW + "|" + _OLD + ")" + _VERSION + r"$",
    re.IGNORECASE,
)
_ARXIV_URL_RE = re.compile(
    r"arxiv\.org/(?:abs|pdf|html|format|ps)/(?P<rest>[^?#\s]+?)(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)
_DOI_RE = re.compile(r"(10\.\d{4,9}/\S+)", re.IGNORECASE)


def parse_arxiv_id(text: str | None) -> tuple[str, int | None] | None:
    """``(id, version)`` for any spelling of an arXiv id, or ``None`` if ``text`` is not one.

    Accepts ``2503.11731``, ``2503.11731v2``, ``arXiv:2503.11731``, ``oai:arXiv.org:…``,
    ``hep-th/9709111``, ``math.AG/0601001v1`` and abs/pdf/html URLs of any of those.
    """
    if not text:
        return None
    value = text.strip()
    url = _ARXIV_URL_RE.search(value)
    if url:
        value = url.group("rest")
    match = _ARXIV_RE.match(value)
    if not match:
        return None
    if match.group("new"):
        base = match.group("new")
    else:
        archive, number = match.group("old").split("/")
        # the subject class (math.AG) is not part of the identifier; arXiv ids are lower case
        base = f"{archive.split('.')[0].lower()}/{number}"
    version = match.group("version")
    return base, int(version) if version else None


def normalize_arxiv_id(text: str | None) -> str | None:
    parsed = parse_arxiv_id(text)
    return parsed[0] if parsed else None


def normalize_doi(text: str | None) -> str | None:
    """A DOI in lower case without resolver prefix, or ``None``."""
    if not text:
        return None
    match = _DOI_RE.search(text.strip())
    if not match:
        return None
    return match.group(1).rstrip(".,;").lower()


_LATEX_CMD = re.compile(r"\\[a-zA-Z]+")
_NON_WORD = re.compile(r"[^0-9a-z]+")
# ASCII bytes: letters to lower case; everything but letters and digits is deleted
_FOLD_BYTES = bytes(c + 32 if 65 <= c <= 90 else c for c in range(256))
_NOT_ALNUM = bytes(c for c in range(256) if not (chr(c).isascii() and chr(c).isalnum()))


def text_key(text: str | None, limit: int | None = None) -> str | None:
    """A normalized form of a title or abstract for matching copies from different sources:
    accents, LaTeX commands, punctuation, case and spaces removed (letters and digits remain)."""
    if not text:
        return None
    if limit:  # enough text for a key of ``limit`` characters, with room for what is dropped
        text = text[: limit * 3 // 2]
    if text.isascii():
        folded = text
    else:
        folded = unicodedata.normalize("NFKD", text)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    if "\\" in folded:
        folded = _LATEX_CMD.sub(" ", folded)
    if folded.isascii():
        key = folded.encode("ascii").translate(_FOLD_BYTES, _NOT_ALNUM).decode("ascii")
    else:
        key = _NON_WORD.sub("", folded.casefold())
    if not key:
        return None
    return key[:limit] if limit else key


def digest(text: str, length: int = 16) -> str:
    """A short stable fingerprint of ``text`` (hex)."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()[:length]


def content_id(key: str) -> str:
    """A stable paper id derived from content, for papers no source gave an id for."""
    return "ps-" + digest(key, 12)
