"""Readable thread labels: the phrases that set a thread apart (class-based TF-IDF).

Each paper's title and abstract are cut into chunks at punctuation and stopwords; every 1-3 word
run inside a chunk is a candidate phrase, counted once per paper. A phrase's weight in thread c
is (share of c's papers that use it) x log(1 + (papers per thread) / (papers using it anywhere)),
the c-TF-IDF of BERTopic with paper counts, times 1.3 for two words and 1.6 for three (longer
phrases read better as labels: "3d gaussian splatting" rather than "3d"). The label is the best
few phrases, a longer phrase replacing a shorter one it contains when it is nearly as strong
("kv cache compression" over "kv cache"), shorter ones inside a chosen phrase (or the same but
for a plural) dropped.

Memory stays bounded on 60k papers: candidates are collected thread by thread (those used by at
least two of the thread's papers), and only those are counted over the whole corpus.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

MAX_WORDS = 3
PHRASES = 6  # kept per thread
LABEL_PHRASES = 3  # shown in the label
LONGER_BONUS = 0.3  # weight x (1 + 0.3 per word past the first): "3d gaussian splatting" > "3d"
LONGER_WINS = 0.6  # a longer phrase replaces a contained one with at least this share of its weight

# Function words, plus the boilerplate of abstracts: they end a phrase and never start one.
_STOP_TEXT = """
    a about above across after again against all almost along also although always am among an
    and another any are around as at be because been before being below between both but by can
    cannot could did do does doing done down during each either else etc even ever every few for
    from further had has have having he her here hers him his how however i if in into is it its
    itself just less let like made make makes many may me might more most much must my namely
    neither no nor not now of off often on once one only onto or other others otherwise our ours
    out over own per rather same several she should since so some such than that the their theirs
    them themselves then there thereby therefore these they this those though three through thus
    to too two under until up upon us very via was we well were what whatever when where whereas
    whether which while who whom whose why will with within without would yet you your
    paper papers propose proposes proposed present presents presented introduce introduces
    introduced show shows shown showed demonstrate demonstrates demonstrated study studies
    studied work works novel new approach approaches method methods methodology framework
    result results experiment experiments experimental extensive comprehensive existing
    recent recently various different significant significantly substantially state-of-the-art
    sota outperform outperforms outperforming achieve achieves achieved achieving improve
    improves improved improving improvement improvements performance effective effectively
    efficient based using use used uses enable enables enabling allow allows first finally
    furthermore moreover address addresses however code available github https http www com
    key important challenge challenges challenging problem problems task tasks current
    remains remain large-scale across including include includes leverage leverages
    leveraging demonstrating showing evaluate evaluated evaluation across-the-board
    despite toward towards beyond instead given yields yield affects affect impact impacts
    absence choosing combining powerful paradigm accelerates consistent gains et al
"""
STOPWORDS = frozenset(_STOP_TEXT.split())

# Long names said one way more often than not: counted as one word, so a label reads
# "multimodal llms" rather than "multimodal large language"; "key-value (kv) cache": the
# parenthesised acronym goes.
_SAME = {
    "multimodal large language model": "mllms",
    "multi-modal large language model": "mllms",
    "large vision-language model": "lvlms",
    "large vision language model": "lvlms",
    "large language model": "llms",
    "vision-language model": "vlms",
    "vision language model": "vlms",
    "key-value": "kv",
}
_SAME_PATTERN = re.compile(
    r"\s\([a-z0-9\-]{1,12}\)|\b(?:"
    + "|".join(re.escape(k) for k in sorted(_SAME, key=len, reverse=True))
    + r")s?\b"
)
_ADVERB = re.compile(r"(?:ally|ively|ously|ently|antly|edly|ingly|ctly|itly|arly|ately|ssly)$")
_BREAK = re.compile(r"https?://\S+|[.,;:!?()\[\]{}\"'`/|<>=+*~^$\\]|\s-\s")
_TOKEN = re.compile(r"[a-z0-9][a-z0-9\-]*[a-z0-9]|[a-z]|#")
_usable_cache: dict[str, bool] = {}


def _same(match: re.Match[str]) -> str:
    text = match.group(0)
    if text.startswith((" ", "\t", "\n")):
        return ""
    return _SAME[text.removesuffix("s")] if text not in _SAME else _SAME[text]


def phrases_of(text: str) -> set[str]:
    """The candidate phrases of one paper's text (lower case, 1-3 words, no stopword at either
    end, no number alone)."""
    text = _BREAK.sub(" # ", _SAME_PATTERN.sub(_same, text.lower()))
    found: set[str] = set()
    run: list[str] = []
    usable = _usable_cache
    for word in [*_TOKEN.findall(text), "#"]:
        ok = usable.get(word)
        if ok is None:
            ok = usable[word] = _usable(word)
        if ok:
            run.append(word)
            continue
        if run:
            found.update(run)
            if len(run) > 1:
                found.update(map(" ".join, itertools.pairwise(run)))
                if len(run) > 2:
                    found.update(map(" ".join, zip(run, run[1:], run[2:], strict=False)))
            run = []
    return found


def _usable(word: str) -> bool:
    """A word that may be part of a phrase: not a stopword, number, letter or adverb."""
    if word == "#" or word in STOPWORDS or word.isdigit() or len(word) < 2:
        return False
    return not (len(word) > 6 and _ADVERB.search(word))


def label_threads(
    texts: Callable[[], Iterable[tuple[int, str]]], sizes: Mapping[int, int]
) -> dict[int, tuple[str, ...]]:
    """The distinctive phrases of each thread, best first. ``texts`` yields ``(thread, text)`` of
    every paper - it is read twice, so it is a function returning a fresh iterable."""
    per_thread: dict[int, Counter[str]] = {t: Counter() for t in sizes}
    for thread, text in texts():
        per_thread[thread].update(phrases_of(text))
    candidates: dict[int, dict[str, int]] = {}
    for thread, counts in per_thread.items():
        floor = 2 if sizes[thread] >= 2 else 1
        candidates[thread] = {p: n for p, n in counts.items() if n >= floor}
    per_thread.clear()
    wanted = set().union(*candidates.values()) if candidates else set()
    anywhere: Counter[str] = Counter()
    for _, text in texts():
        anywhere.update(phrases_of(text) & wanted)
    per_class = sum(sizes.values()) / max(1, len(sizes))
    return {
        thread: choose(
            {
                p: (n / max(1, sizes[thread]))
                * math.log(1.0 + per_class / anywhere[p])
                * (1.0 + LONGER_BONUS * p.count(" "))
                for p, n in counts.items()
            }
        )
        for thread, counts in candidates.items()
    }


def choose(weights: Mapping[str, float], keep: int = PHRASES) -> tuple[str, ...]:
    """The best phrases by weight: a longer phrase takes the place of one it contains when it
    is nearly as strong; phrases inside a chosen one are left out."""
    chosen: list[tuple[str, float]] = []
    ranked = sorted(weights.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))
    for phrase, weight in ranked[: keep * 20]:
        if any(_inside(phrase, c) or _singular(c) == _singular(phrase) for c, _ in chosen):
            continue
        contained = [i for i, (c, w) in enumerate(chosen) if _inside(c, phrase)]
        if contained:
            if all(weight >= LONGER_WINS * chosen[i][1] for i in contained):
                first = contained[0]
                chosen[first] = (phrase, max(weight, chosen[first][1]))
                for i in reversed(contained[1:]):
                    del chosen[i]
            continue
        if len(chosen) < keep:
            chosen.append((phrase, weight))
    return tuple(c for c, _ in chosen)


def _singular(phrase: str) -> str:
    """``phrase`` with plural-looking words made singular ("diffusion models" ~ "model")."""
    return " ".join(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")) else w
        for w in phrase.split()
    )


def _inside(short: str, long: str) -> bool:
    """``short`` is a run of whole words of ``long`` (plurals aside)."""
    short, long = _singular(short), _singular(long)
    return short != long and f" {short} " in f" {long} "


def label_of(phrases: Sequence[str]) -> str:
    return " · ".join(phrases[:LABEL_PHRASES]) if phrases else "(unlabelled)"
