"""Which named things a paper introduces, which of them is the main one, and what kind of
contribution the paper makes. Pure functions over the title and abstract."""

from __future__ import annotations

import re
from dataclasses import dataclass

from papersift.understand.text import (
    NAME_PART,
    generic_words,
    is_namey,
    sentences,
    strip_token,
    without_urls,
)

# Verbs with which a paper introduces its own work.
INTRO = re.compile(
    r"\b(?:propos|introduc|present|develop|design|construct|build|buil[td]|releas|curat|creat|"
    r"collect|establish|devis|offer|contribut|train|pre-?train|name|call|dub|term|coin|"
    r"formulat|establish|launch|open-sourc|unveil)\w*",
    re.IGNORECASE,
)
_OWN = re.compile(r"\b(?:we|our|this (?:paper|work|study|report)|here)\b", re.IGNORECASE)
_CALLED = re.compile(
    r"\b(?:called|named|dubbed|termed|coined|namely|denoted(?: as)?|referred to as|known as)"
    r"\s+(?:as\s+)?(?:the\s+)?[“\"'`]*(" + NAME_PART + r"(?:\s+" + NAME_PART + r"){0,6})",
)
VERBS = (
    r"(?:propos|introduc|present|develop|design|construct|build|releas|curat|creat|collect|"
    r"establish|offer|unveil|launch|contribut|devis|formulat)(?:e|es|ed|ing|s)?"
)
_ADJECTIVES = (
    r"(?:(?:the|a|an|our|two|three|this)\s+)?(?:(?:new|novel|simple|first|open|large|"
    r"comprehensive|unified|efficient|effective|general|lightweight|challenging|"
    r"yet|and|powerful|scalable|flexible|robust|versatile|fully|high-quality)[\w-]*,?\s+){0,4}"
)
_AFTER_VERB = re.compile(
    r"\b" + VERBS + r"\s+" + _ADJECTIVES + r"(?:(?:algorithms|methods|variants|models|"
    r"techniques|approaches)\s*(?:--|—|:|,)?\s+)?(?=[\w^{}\\\"“])"
)
# what may follow a name that was just introduced
_NAME_END = re.compile(
    r"\s*(?:[,:;(\u2014–.]|--|-\s|$)|\s+(?:a|an|the|which|that|to|for|with|and|as|on|in|by|"
    r"from|via|based|is|model|framework|benchmark|dataset|method|system|approach)\b"
)
# "Long Phrase (ACR)" and "ACR (Long Phrase)"
_PARENTHESIZED = re.compile(r"\((" + NAME_PART + r")\)")
_REVERSED = re.compile(r"(" + NAME_PART + r")\s*\(((?:[A-Za-z][\w-]*\s+){1,7}[A-Za-z][\w-]*)\)")
# "X, a ... benchmark" appositives, "a new dataset, X, which" and "our (model) X"
_APPOSITIVE = re.compile(r"(" + NAME_PART + r"),\s+(?:a|an|the)\s+")
_HEAD_NOUNS = (
    r"(?:dataset|benchmark|model|framework|method|approach|system|classifier|agent|pipeline|"
    r"metric|suite|corpus|technique|algorithm|architecture|tool|toolkit|platform|library|"
    r"strategy|paradigm|family|series|module|network|LLM|MLLM|LMM|VLM)s?"
)
_NOUN_NAME = re.compile(
    r"\b(?:a|an|the|our)\s+(?:[\w-]+\s+){0,4}"
    + _HEAD_NOUNS
    + r",?\s+(?:called\s+|named\s+)?("
    + NAME_PART
    + r")(?=\s*[,(.:;]|\s+(?:which|that|to|for|with|as)\b)"
)
_OUR = re.compile(
    r"\bour\s+(?:proposed\s+|new\s+|final\s+)?(?:" + _HEAD_NOUNS + r"\s+)?(?=[\w^{}\\])"
)
_ACRONYM_AHEAD = re.compile(r"([^,;.()]{3,120}?)\s*\((" + NAME_PART + r")\)")
_OWN_VERB = re.compile(r"\b(?:we|our)\s+(?:\w+\s+)?" + VERBS, re.IGNORECASE)
_PRIOR = re.compile(
    r"\b(?:recent(?:ly)?|existing|previous(?:ly)?|prior|popular|well-known|best-known|widely|"
    r"standard|prevalent|conventional|traditional|classic(?:al)?|mainstream|state-of-the-art|"
    r"proposed by|introduced by|such as|e\.g\.|like|baselines?)\b",
    re.IGNORECASE,
)
_REPORT_TITLE = re.compile(
    r"^\s*(?:The\s+)?(.{2,40}?)\s+(?:Technical Report|System Card|Model Card|Tech Report)\s*$",
    re.IGNORECASE,
)
_TITLE_PREFIX = re.compile(r"^\s*(.{1,70}?)\s*(?::|\s[-–—]{1,2}\s|\?)\s+\S")
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "in",
        "on",
        "to",
        "with",
        "via",
        "by",
        "from",
        "at",
        "is",
        "are",
        "as",
        "or",
    ]
)


@dataclass(frozen=True, slots=True)
class Introduced:
    """A name the paper introduces, where, and how strongly the text says so."""

    name: str
    offset: int  # in the abstract (title names: -1)
    score: float
    sentence: str


def _acronym_start(phrase: str, acronym: str) -> int:
    """Where in ``phrase`` the words that ``acronym`` abbreviates begin (a word index), or -1.

    Schwartz & Hearst's matching: the acronym's letters are found in the phrase from right to
    left, in order, the first of them at the start of a word ("MultiModal In-conteXt Tuning" →
    M^2IXT, "Continual Parameter-Efficient CLIP" → CPE-CLIP).
    """
    letters = [c for c in acronym.lower() if c.isalpha()]
    if len(letters) < 2:
        return -1
    text = phrase.lower()
    at = len(text) - 1
    for index in range(len(letters) - 1, -1, -1):
        char = letters[index]
        while at >= 0 and (text[at] != char or (index == 0 and at > 0 and text[at - 1].isalnum())):
            at -= 1
        if at < 0:
            return -1
        at -= 1
    words_before = len(text[: at + 1].split())
    inside = at >= 0 and not text[at].isspace()  # matched inside a word ("State-Space")
    return words_before - 1 if inside else words_before


def _acronym_fits(phrase: str, acronym: str) -> bool:
    """Does ``acronym`` abbreviate the end of ``phrase``, starting within its first words?"""
    words = phrase.split()
    start = _acronym_start(phrase, acronym)
    if start < 0:
        return False
    covered = sum(1 for w in words[start:] if w.lower().strip(",") not in _SMALL_WORDS)
    letters = sum(1 for c in acronym if c.isalpha())
    return covered <= max(2, letters + 1)


def _clean_name(name: str) -> str:
    name = strip_token(name.strip().strip("“”\"'`"))
    return name


def _good(name: str) -> bool:
    if not name or name in generic_words() or len(name) > 60:
        return False
    if name.lower() in _SMALL_WORDS or re.match(r"\d+(?:\.\d+)?[BMKT]?\b", name):
        return False  # "1.3B LLM" is a size, not a name
    first = name.split()[0]
    return is_namey(first) or (first[:1].isupper() and len(name) > 2)


def _phrase_name(text: str) -> str:
    """The capitalised name at the start of ``text`` (up to 5 words: "Superposed Decoding")."""
    words: list[str] = []
    for word in text.split():
        bare = strip_token(word)
        if not bare:
            break
        if (
            bare[0].isupper()
            or bare[0].isdigit()
            or (words and bare.lower() in {"of", "for"})
            or (words and re.fullmatch(r"v\d[\d.]*", bare))
        ):
            words.append(bare)
            if bare != word:  # punctuation ended it
                break
        else:
            break
        if len(words) >= 5:
            break
    while words and words[-1].lower() in _SMALL_WORDS:
        words.pop()
    return " ".join(words)


def _lead_name(text: str) -> tuple[str, bool]:
    """The name at the start of ``text``: one name-like token, or a capitalised phrase of up to
    six words ("Superposed Decoding", "Bielik 7B v0.1"); and whether it is name-like."""
    match = re.match(NAME_PART, text)
    if not match:
        return "", False
    # a phrase and its acronym: "dynamic visual-token exit (DyVTE)" → DyVTE
    defined = _ACRONYM_AHEAD.match(text)
    if defined:
        acronym = strip_token(defined.group(2))
        start = _acronym_start(defined.group(1), acronym)
        if is_namey(acronym) and 0 <= start <= 3 and _acronym_fits(defined.group(1), acronym):
            return acronym, True
    first = strip_token(match.group(0))
    if is_namey(first) and (
        _NAME_END.match(text, len(first)) or re.match(r"\s+[A-Z][a-z]", text[len(first) :])
    ):
        return first, True  # "CatRAG Debiasing …": the name-like token is the name
    phrase = _phrase_name(text)
    if phrase and (" " in phrase or is_namey(phrase)) and _NAME_END.match(text, len(phrase)):
        return phrase, " " not in phrase and is_namey(phrase)
    return "", False


def introduced(title: str, abstract: str) -> list[Introduced]:
    """Every name the abstract says the paper introduces, with how strongly it says so."""
    found: list[Introduced] = []
    for start, sentence in sentences(abstract):
        own = bool(_OWN.search(sentence))
        intro = bool(INTRO.search(sentence))
        if not (own or intro):
            continue
        base = 1.0 if own and intro else 0.5

        def add(
            name: str, where: int, score: float, sentence: str = sentence, start: int = start
        ) -> None:
            name = _clean_name(name)
            if not _good(name):
                return
            window = sentence[max(0, where - 70) : where]
            own_at = [m.end() for m in _OWN_VERB.finditer(window)]
            if _PRIOR.search(window[own_at[-1] if own_at else 0 :]):
                score -= 1.0  # "a recently introduced method, named X": someone else's
            found.append(Introduced(name, start + where, score, sentence))

        for m in _PARENTHESIZED.finditer(sentence):  # defining an acronym is not introducing it
            acronym = strip_token(m.group(1))
            phrase = re.split(r"[;:(.]", sentence[max(0, m.start() - 120) : m.start()])[-1]
            if is_namey(acronym) and intro and _acronym_fits(phrase.rstrip(), acronym):
                add(acronym, m.start(1), base + 0.2)
        for m in _REVERSED.finditer(sentence):
            name, phrase = strip_token(m.group(1)), m.group(2)
            if is_namey(name) and intro and _acronym_fits(phrase, name):
                add(name, m.start(1), base + 0.9)
        for m in _CALLED.finditer(sentence):
            name, namey = _lead_name(sentence[m.start(1) :])
            if name:
                add(name, m.start(1), base + (1.0 if namey else 0.8))
        for m in _AFTER_VERB.finditer(sentence):
            name, namey = _lead_name(sentence[m.end() :])
            if name:
                add(name, m.end(), base + (0.9 if namey else 0.5))
        for m in _NOUN_NAME.finditer(sentence):  # "a series of agent models, Samoyed."
            name = strip_token(m.group(1))
            if is_namey(name) or (name[:1].isupper() and len(name) > 2 and m.start(1) > 0):
                add(name, m.start(1), base + 1.0)
        for m in _APPOSITIVE.finditer(sentence):
            name = strip_token(m.group(1))
            if is_namey(name) and intro:
                add(name, m.start(1), base + 0.6)
        for m in _OUR.finditer(sentence):
            name, namey = _lead_name(sentence[m.end() :])
            if name and namey:
                add(name, m.end(), base + 0.6)
    return found


def title_prefix(title: str) -> str | None:
    """The name-like part before a colon in a title ("MANTIS: Interleaved …" → "MANTIS")."""
    match = _TITLE_PREFIX.match(title or "")
    if not match:
        return None
    prefix = match.group(1).strip()
    if len(prefix.split()) > 6:
        return None
    return prefix


def _spelling_in(text: str, name: str) -> str | None:
    """How ``text`` spells ``name`` (case-insensitively, as a whole word), if it does."""
    match = re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text, re.IGNORECASE)
    return match.group(0) if match else None


def primary_and_systems(title: str, abstract: str) -> tuple[str | None, list[str]]:
    """The main thing the paper introduces (or ``None``), and every introduced name."""
    intro = introduced(title, abstract)
    candidates: dict[str, float] = {}
    first_at: dict[str, int] = {}
    for item in intro:
        candidates[item.name] = max(candidates.get(item.name, 0.0), item.score)
        first_at.setdefault(item.name, item.offset)

    primary: str | None = None
    report = _REPORT_TITLE.match(title or "")
    prefix = report.group(1) if report else title_prefix(title)
    if prefix:
        primary = _from_title(prefix, abstract, intro)
    if primary is None:
        # a name the title also carries is the paper's own
        for name in candidates:
            if _spelling_in(title or "", name):
                candidates[name] += 1.0
        if candidates:
            # the title's name, else the first one strongly introduced, else the strongest
            best = max(
                candidates.items(),
                key=lambda kv: (kv[1] >= 2.5, kv[1] >= 1.9, -first_at[kv[0]], kv[1]),
            )
            if best[1] >= 1.5:
                primary = best[0]
    names: list[str] = []
    if primary:
        names.append(primary)
    for item in sorted(intro, key=lambda i: (-i.score, i.offset)):
        if item.score >= 1.5 and item.name not in names and " " not in item.name:
            names.append(item.name)
    if primary:  # variants of the main name: Mantis-Instruct, MHR-z, MSVMamba-Tiny
        for m in re.finditer(
            r"(?<![\w/.-])" + re.escape(primary) + r"-[\w.^]+", without_urls(abstract)
        ):
            variant = strip_token(m.group(0))
            if variant not in names:
                names.append(variant)
    if prefix and " " not in prefix.strip() and primary and prefix.strip() != primary:
        token = strip_token(prefix.strip())
        if is_namey(token) and token.lower() != primary.lower() and token not in names:
            names.append(token)  # the title's name for it ("ReferEverything" beside "REM")
    return primary, names


def _from_title(prefix: str, abstract: str, intro: list[Introduced]) -> str | None:
    words = prefix.split()
    if len(words) == 1:
        token = strip_token(prefix)
        if not token or token in generic_words():
            return None
        spelled = _spelling_in(abstract, token)
        if not spelled:  # the abstract names its system otherwise ("ReferEverything" / "REM")
            strong = [i for i in intro if i.score >= 1.9 and is_namey(i.name.split()[0])]
            if strong:
                return strong[0].name
        if is_namey(token) or (spelled and spelled != spelled.lower()):
            return spelled if spelled and spelled.lower() == token.lower() else token
        return None
    # a phrase: the abstract may give it an acronym ("Divide, Conquer and Combine (DC^2)")
    for item in intro:
        at = item.sentence.find(item.name)
        before = item.sentence[max(0, at - len(prefix) - 20) : at]
        if _loose(prefix) and _loose(prefix) in _loose(before):
            return item.name
    for item in intro:
        if _acronym_fits(prefix, item.name) and len(item.name) <= 12 and item.score >= 1.5:
            return item.name
    if re.search(
        r"\b(?:called|named|termed|dubbed)\s+(?:as\s+)?(?:the\s+)?" + re.escape(prefix) + r"\b",
        abstract,
        re.IGNORECASE,
    ):
        return prefix  # "termed as regularized mask tuning": the title spells the name
    spelled = _spelling_in(abstract, prefix)
    if spelled and all(
        w[:1].isupper() or w[:1].isdigit() or re.match(r"v\d", w) or w.lower() in _SMALL_WORDS
        for w in prefix.split()
    ):
        if any(i.name == spelled or spelled.startswith(i.name) for i in intro):
            return spelled
        if len(re.findall(re.escape(spelled), abstract)) >= 2 and any(
            _spelling_in(i.sentence, prefix) for i in intro
        ):
            return spelled
    for word in words:  # a name inside the phrase ("Multi-Scale VMamba")
        token = strip_token(word)
        if is_namey(token) and token not in generic_words():
            for item in intro:
                if token.lower() in item.name.lower() and item.score >= 1.5:
                    return item.name
    return None


def _loose(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
