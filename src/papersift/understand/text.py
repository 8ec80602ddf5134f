"""Text helpers the rules share: sentences, URLs, name-like tokens, and the packaged lexicons."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from importlib import resources

# --- sentences -------------------------------------------------------------------------------

# A sentence ends at . ! ? followed by space (or by a capital with no space: "ADE20K.Code"),
# but not after common abbreviations (e.g., i.e., et al., vs., Fig.).
_ABBREVIATION = re.compile(
    r"(?:^|[\s(])(?:e\.g|i\.e|et al|vs|cf|etc|Fig|Figs|Eq|Eqs|Sec|No|approx|resp|w\.r\.t)\.?\.$"
)
_BOUNDARY = re.compile(r"(?<=[.!?])(?:\s+|(?=[A-Z][a-z]))(?=[\"“(\[]?[A-Z0-9\\])")


@functools.lru_cache(maxsize=64)
def sentences(text: str) -> tuple[tuple[int, str], ...]:
    """``(offset, sentence)`` pairs of ``text``, in order; offsets index ``text``."""
    out: list[tuple[int, str]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start()].rstrip()
        if _ABBREVIATION.search(before[-12:]):
            continue
        if _decimal_before(text, match.start()):
            continue
        if text[start : match.start()].strip():
            out.append((start, text[start : match.start()].rstrip()))
        start = match.end()
    if text[start:].strip():
        out.append((start, text[start:].rstrip()))
    return tuple(out)


def _decimal_before(text: str, end: int) -> bool:
    """A "." between digits is no sentence end ("2.5 Years")."""
    return end >= 2 and text[end - 2].isdigit() and end < len(text) and text[end].isdigit()


# --- URLs --------------------------------------------------------------------------------------

_URL = re.compile(r"\\url\{([^}\s]+)\}|(https?://[^\s<>\"'{}]+)", re.IGNORECASE)
_URL_TRAIL = ".,;:!?)]}'\""
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "huggingface.co")


def urls(text: str) -> list[str]:
    """Every URL in ``text`` (LaTeX ``\\url{}`` included), trailing punctuation dropped, once."""
    found: list[str] = []
    for match in _URL.finditer(text):
        url = match.group(1) or match.group(2)
        while url and url[-1] in _URL_TRAIL:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        if "://" in url and url.split("://", 1)[1] and url not in found:
            found.append(url)
    return found


def is_code_url(url: str) -> bool:
    host = url.split("://", 1)[-1].split("/", 1)[0].lower()
    return host.removeprefix("www.") in _CODE_HOSTS


# --- name-like tokens --------------------------------------------------------------------------

# One token of a name: letters, digits and the marks names carry (MHR-z, M^2IXT, Wukong{ViT-B},
# Llama-3.1-8B, GPT-4o, RefCOCO(+/g)).
NAME_PART = r"[A-Za-z0-9][\w^{}+.&/'’-]*(?:\([+/\w]{1,4}\))?"
_TOKEN_RE = re.compile(r"(?<![\w^{}\\-])" + NAME_PART)


def strip_token(token: str) -> str:
    """A token without the punctuation that ends a sentence or clause after it."""
    while token and token[-1] in ".,;:'’/&-":
        token = token[:-1]
    if token.endswith("'s") or token.endswith("’s"):
        token = token[:-2]
    if token.count("{") != token.count("}"):
        token = token.replace("{", "").replace("}", "")
    return token


_DESCRIPTIVE = re.compile(
    r"-(?:based|related|level|aware|specific|like|style|free|driven|guided|centric|oriented|"
    r"wise|scale|grained|dependent|independent|agnostic|enhanced|augmented|generated|powered|"
    r"assisted|only|native|friendly|ready|sized|shot|step|time|domain|modal|task|view)$"
)


def is_namey(token: str) -> bool:
    """Does ``token`` look like a proper name of an artifact (not an ordinary word)?

    Names mix case inside the word (ScaLearn, aTLAS), are mostly capitals (MMIE, A-STAR), or mix
    letters and digits (Dialog2Flow, GPT-4o). A capitalised plain word (Mantis) is not enough.
    """
    if len(token) < 2 or not any(c.isalpha() for c in token):
        return False
    if _DESCRIPTIVE.search(token):  # "GUI-related", "LLM-based", "3D-aware": a modifier
        return False
    body = token[1:]
    upper_inside = sum(1 for c in body if c.isupper())
    if upper_inside:
        return True
    letters = [c for c in token if c.isalpha()]
    has_digit = any(c.isdigit() for c in token)
    return bool(has_digit and letters and (token[0].isupper() or "-" in token or "^" in token))


_GLUED = re.compile(r"\.(?=[A-Z][a-z])|/(?=[A-Z])")  # "ADE20K.Code", "ARC-Easy/ARC-Challenge"


def tokens(text: str) -> tuple[tuple[int, str], ...]:
    """``(offset, token)`` of every token in ``text`` (trailing punctuation dropped); tokens
    glued by a missing space or a slash between names come apart."""
    return _tokens(text)


@functools.lru_cache(maxsize=16)
def _tokens(text: str) -> tuple[tuple[int, str], ...]:
    return tuple(_scan(text))


def _scan(text: str) -> Iterator[tuple[int, str]]:
    for match in _TOKEN_RE.finditer(text):
        raw = match.group(0)
        at = match.start()
        for part in _GLUED.split(raw) if ("." in raw or "/" in raw) else (raw,):
            token = strip_token(part)
            if token:
                yield at, token
            at += len(part) + 1


def without_urls(text: str) -> str:
    """``text`` with every URL blanked out (same length, so offsets still hold)."""
    return _URL.sub(lambda m: " " * len(m.group(0)), text) if "://" in text else text


# --- lexicons ----------------------------------------------------------------------------------


@functools.cache
def lexicon(name: str) -> tuple[str, ...]:
    """The entries of ``data/<name>.txt`` (comments and blank lines left out), in file order."""
    text = (
        resources.files("papersift.understand").joinpath("data", f"{name}.txt").read_text("utf-8")
    )
    entries = (line.strip() for line in text.splitlines())
    return tuple(dict.fromkeys(e for e in entries if e and not e.startswith("#")))


@functools.cache
def generic_words() -> frozenset[str]:
    return frozenset(lexicon("generic"))


_WRAPPER = re.compile(
    r"(?<=(\w))?\\(?:textbf|textit|textsc|texttt|textrm|textsf|emph|underline|mathbf|mathrm|"
    r"mathit|mathsf|mathtt|text|bf|it)\s*\{([^{}]*)\}"
)


def unwrap(text: str) -> str:
    """``text`` without LaTeX font wrappers: "\\textbf{X}" → "X" (a space kept before it)."""
    if "$" in text:  # inline math inside a name: "Place-it-R$1$" → "Place-it-R1"
        text = re.sub(r"(?<=[\w-])\$([\w^{}+-]{1,12})\$", r"\1", text)
    if "\\" not in text:
        return text
    return _WRAPPER.sub(lambda m: (" " if m.group(1) else "") + m.group(2), text)
