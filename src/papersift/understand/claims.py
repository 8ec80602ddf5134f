"""Headline quantitative claims: results, speedups, savings and the size of what a paper
contributes — each the clause that says it (verbatim), its numbers, and what it beats."""

from __future__ import annotations

import re

from papersift.model import Claim
from papersift.understand.text import generic_words, is_namey, sentences, tokens

_WORD_NUMBERS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundred|hundreds|thousands|a million|half"
)
_SCALE = r"(?:\s?(?:[KMBT]\b|k\b|million|billion|trillion|thousand))"
_UNIT = (
    r"(?:\s?(?:\\?%|percent\b|x\b|×|\$?\\times\$?|times\b|-fold\b|fold\b|pp\b|"
    r"hours?\b|days?\b|GB\b|MB\b|TB\b|ms\b|seconds?\b|minutes?\b|"
    r"GPU hours\b|tokens/s\b|FPS\b|dB\b))"
)
_NUMBER = re.compile(
    r"(?<![\w.^/@:-])(?<!\d/)(?:[+-]|~|\\sim\s?)?(?:\d+(?:,\d{3})*(?:\.\d+)?|(?:"
    + _WORD_NUMBERS
    + r"))"
    r"(?:" + _SCALE + r")?(?:" + _UNIT + r")?(?![\w^])"
)
_STRONG = re.compile(
    r"\b(?:outperform\w*|surpass\w*|beat\w*|improv\w*|reduc\w*|speed\w*|accelerat\w*|faster|"
    r"slower|fewer|less|lower|higher|boost\w*|gain\w*|achiev\w*|reach\w*|attain\w*|exceed\w*|"
    r"compar\w*|increas\w*|decreas\w*|sav\w*|cut\w*|up to|only|over|state-of-the-art|SOTA|"
    r"comprises|comprising|contain\w*|consist\w*|includ\w*|spanning|featuring|scale\w*|"
    r"accuracy|score\w*|pass@\d|mAP|mIoU|F1|BLEU|win rate)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_CLAUSE_START = re.compile(r"(?:^|[,;:(]\s*|\s--?\s|\s(?:while|and|but|whereas|which)\s)")
_AGAINST = re.compile(
    r"\b(?:than|over|compared (?:to|with)|against|vs\.?|relative to|beats?|outperform\w*|"
    r"surpass\w*|exceed\w*|on par with|comparable to|rivals?|matching)\s+"
)
_CLAUSE_END = re.compile(
    r"[;]|,\s(?:while|which|and|but|whereas|thereby|making|demonstrating|showing)\b|\.\s*$"
)
_MAX_CLAIMS = 6
# words that open a clause but say nothing of the claim ("and", "e.g.", "we show that")
_LEAD = re.compile(
    r"^(?:(?:e\.g\.|i\.e\.),?\s*|(?:and|but|while|whereas|which|thus|hence|so)\s+|"
    r"(?:specifically|notably|moreover|furthermore|additionally|overall|finally|in particular),\s*|"
    r"(?:we|results|experiments)\s+(?:also\s+|further\s+)?(?:show|find|demonstrate|observe|"
    r"reveal|confirm)s?\s+that\s+)+",
    re.IGNORECASE,
)


def _plain(match: re.Match[str], sentence: str) -> bool:
    """A number of the text (not a year, a list marker or a word without a unit)."""
    text = match.group(0).strip()
    bare = re.sub(r"[^\d.]", "", text)
    if _YEAR.match(bare) and not re.search(r"[%x×]", text):
        return False
    if sentence[match.end() : match.end() + 1] == ")" and (
        sentence[max(0, match.start() - 1) : match.start()] in ("(", " ", "") and len(text) <= 2
    ):
        return False  # "(1)" and "1)" list markers
    if not any(c.isdigit() for c in text):
        if re.search(r"million|billion|thousand", text):
            return True
        if _SIZE_SENTENCE.search(sentence) and _COUNTED.match(sentence, match.end()):
            return True  # "encompassing five tasks and ten datasets"
        unit = bool(re.search(r"times|fold", text)) or bool(_POINTS.match(sentence, match.end()))
        return unit and bool(
            re.search(r"\b(?:by|up to|over|than|improv\w*|outperform\w*)\b", sentence)
        )
    return True


# a sentence that gives the size of something ("X contains 200 individuals and 3,700 images")
_SIZE_SENTENCE = re.compile(
    r"\b(?:contain\w*|compris\w*|consist\w*|featur\w*|spann?\w*|cover\w*|encompass\w*|"
    r"total\w*|collected from|curat\w*|unify\w*|unifying|includ\w*)\b",
    re.IGNORECASE,
)
_COUNTED = re.compile(r"\s+(?:[\w-]+\s+){0,3}?[a-z-]+s\b")  # "… 200 fictitious individuals"


# "9 absolute points", "3.2 percentage points": the unit is read, not kept with the number
_POINTS = re.compile(r"\s*(?:absolute\s+|percentage\s+|accuracy\s+)?(?:points?|pts)\b")


def _qualifies(match: re.Match[str], sentence: str) -> bool:
    text = match.group(0).strip()
    after = sentence[match.end() : match.end() + 25].lower()
    has_unit = bool(re.search(_UNIT, text)) or bool(re.search(_SCALE, text))
    is_word = not any(c.isdigit() for c in text)
    if is_word:
        return bool(re.search(r"million|billion|thousand|times|fold", text)) or bool(
            _POINTS.match(sentence, match.end())
        )
    if has_unit or _POINTS.match(sentence, match.end()):
        return True
    if _SIZE_SENTENCE.search(sentence) and _COUNTED.match(sentence, match.end()):
        return True
    if re.match(
        r"\s*(?:benchmarks?|datasets?|tasks?|languages?|models?|baselines?|LLMs?|"
        r"settings?|domains?|categories|stages?|steps?|iterations?|rounds?|layers?)\b",
        after,
    ):
        return False
    return (bool(_STRONG.search(sentence)) and "." in text) or bool(
        re.search(r"\b(?:pass@|score|accuracy|mAP|mIoU|F1|BLEU|ROUGE|FID|AUC)", sentence)
    )


def _clause(sentence: str, first: int, last: int) -> tuple[int, int]:
    """The clause of ``sentence`` around characters ``first``..``last``."""
    start = 0
    for m in _CLAUSE_START.finditer(sentence, 0, first):
        start = m.end()
    end = len(sentence)
    stop = _CLAUSE_END.search(sentence, last)
    if stop:
        end = stop.start()
    if start and sentence[:start].rstrip().endswith("("):  # a parenthesis closes the clause
        close = sentence.find(")", last)
        if 0 <= close < end:
            end = close
    text = sentence[start:end]
    text = _LEAD.sub("", text)
    start = end - len(text)
    trimmed = text.rstrip(" .,;:)")
    if trimmed.count("(") > trimmed.count(")"):
        trimmed = trimmed + ")" if ")" in sentence[start + len(trimmed) : end + 1] else trimmed
    lead = len(text) - len(text.lstrip(" ,;:("))
    return start + lead, start + len(trimmed)


def claims(abstract: str, *, names: set[str], own: set[str]) -> list[Claim]:
    """Claims in the abstract's result sentences (not in the background before the paper says
    what it does)."""
    out: list[Claim] = []
    own_seen = False
    spaced = [n for n in names if " " in n and any(c.isdigit() for c in n)]  # "Gemini 1.5 Pro"
    for _, sentence in sentences(abstract):
        own_here = bool(
            re.search(r"\b(?:we|our|this (?:paper|work))\b", sentence, re.IGNORECASE)
        ) or any(o in sentence for o in own)
        own_seen = own_seen or own_here
        if not own_seen:
            continue
        masked = [
            (m.start(), m.end()) for name in spaced for m in re.finditer(re.escape(name), sentence)
        ]
        every = [
            m
            for m in _NUMBER.finditer(sentence)
            if _plain(m, sentence) and not any(a <= m.start() < b for a, b in masked)
        ]
        strong = [m for m in every if _qualifies(m, sentence)]
        if not strong:
            continue
        # counts beside a headline number belong to it ("20K queries, spanning 3 categories")
        numbers: list[re.Match[str]] = []
        sizes = bool(_SIZE_SENTENCE.search(sentence))
        for m in every:  # counts join a headline number only where a size is given
            near = [s.start() for s in strong] + [n.start() for n in numbers[-1:]]
            if m in strong or (sizes and any(abs(m.start() - at) < 60 for at in near)):
                numbers.append(m)
        groups: list[list[re.Match[str]]] = [[numbers[0]]]
        for m in numbers[1:]:
            gap = sentence[groups[-1][-1].end() : m.start()]
            if len(gap) < 60 and ";" not in gap:
                groups[-1].append(m)
            else:
                groups.append([m])
        for group in groups:
            start, end = _clause(sentence, group[0].start(), group[-1].end())
            text = sentence[start:end].strip()
            if not text or len(text) < 6:
                continue
            nums = tuple(_number_text(m.group(0)) for m in group)
            against = _against(sentence[max(0, start - 20) : end + 30], names, own)
            claim = Claim(text=text, numbers=nums, compared_to=tuple(dict.fromkeys(against)))
            for i, other in enumerate(out):  # one claim per clause
                if other.text in text or text in other.text:
                    merged = tuple(dict.fromkeys(other.numbers + nums))
                    shorter = other if len(other.text) <= len(text) else claim
                    if set(merged) == set(shorter.numbers):
                        out[i] = shorter
                    else:
                        longer = claim if shorter is other else other
                        out[i] = Claim(longer.text, merged, longer.compared_to)
                    break
            else:
                out.append(claim)
            if len(out) >= _MAX_CLAIMS:
                return out
    return out


_NP_END = frozenset(
    [
        "without",
        "with",
        "on",
        "in",
        "at",
        "for",
        "while",
        "by",
        "across",
        "using",
        "when",
        "which",
        "that",
        "to",
        "and",
        "or",
        "but",
        "of",
        "from",
        "under",
        "as",
        "via",
    ]
)


def _against(text: str, names: set[str], own: set[str]) -> list[str]:
    """What ``text`` compares with: the first name within a few words after "than", "over",
    "outperforms" … ("beats the existing best multi-image LMM Idefics2-8B" → Idefics2-8B)."""
    found: list[str] = []
    for trigger in _AGAINST.finditer(text):
        phrase: list[str] = []  # else the words it names them with ("strong baselines")
        named = False
        for _, token in tokens(text[trigger.end() : trigger.end() + 80])[:7]:
            if token.lower() in _NP_END or re.fullmatch(r"[\d.,%+~-]+\w{0,2}", token):
                break
            if (
                token not in own
                and token not in generic_words()
                and (token in names or is_namey(token))
            ):
                if token not in found:
                    found.append(token)
                named = True
                break
            phrase.append(token)
        words = [w for w in phrase if w.lower() not in ("the", "a", "an", "its", "their")]
        if (
            not named
            and 0 < len(words) <= 5
            and not words[0].lower().endswith("ing")  # "more than doubling …": no rival
            and not any(w in own for w in words)
            and re.search(_BASELINE_WORDS, " ".join(words), re.IGNORECASE)
        ):
            found.append(" ".join(words))
    return found


_BASELINE_WORDS = (
    r"\b(?:baselines?|methods?|approaches|models?|state[- ]of[- ]the[- ]art|SOTA|prior|previous|"
    r"existing|counterparts?|humans?|competitors?|alternatives?|systems?|LLMs?)\b"
)


def _number_text(raw: str) -> str:
    raw = re.sub(r"\s?\$?\\times\$?", "×", raw)
    return raw.strip().replace("\\%", "%").replace("\\sim", "~").replace("\\", "")
