"""What kind of contribution a paper makes: method, model, dataset, benchmark, survey, analysis,
system or position - read from the noun phrase that describes its main name, else the title,
else from how the abstract talks (a study without a named system is an analysis)."""

from __future__ import annotations

import re

from papersift.understand.names import INTRO, VERBS, title_prefix
from papersift.understand.text import sentences

_HEADS = (
    ("benchmark", r"benchmarks?|leaderboard|test ?bed|evaluation suite|suite|evaluation"),
    ("dataset", r"datasets?|corpus|corpora|collection|data ?set"),
    (
        "model",
        r"models?|LLMs?|MLLMs?|LMMs?|VLMs?|family|foundation model|backbone|network|"
        r"tokenizer|encoder|embeddings|architecture",
    ),
    ("system", r"system|agents?|platform|assistant|engine|toolkit|library"),
    (
        "method",
        r"framework|method|methodology|approach|technique|algorithm|strategy|paradigm|loss|"
        r"module|mechanism|recipe|pipeline|scheme|procedure|connector|objective",
    ),
)
_HEAD_RE = re.compile(r"\b(" + "|".join(p for _, p in _HEADS) + r")\b", re.IGNORECASE)
# where a noun phrase that describes a name ends ("X, a simple framework | that …")
_NP_STOP = re.compile(
    r"[,;:.()]|\s(?:that|which|to|for|with|of|designed|capable|trained|built|based|on|in|"
    r"where|who|by|using|via|and|from)\b"
)


def _phrase_kind(phrase: str) -> str | None:
    """The kind a noun phrase names: its last head noun's ("LLM inference system" → system)."""
    heads = _HEAD_RE.findall(phrase)
    if not heads:
        return None
    if re.search(r"\bagents?\b|multi-agent", phrase, re.IGNORECASE):
        return "system"
    word = heads[-1]
    for kind, pattern in _HEADS:
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return kind
    return None


def _described_kind(sentence: str, at: int, end: int) -> str | None:
    """What the sentence calls the name at ``at:end``: an appositive after it ("X, a … model"),
    else the noun phrase that names it ("a novel method named X", "our model X")."""
    after = sentence[end:]
    appositive = re.match(
        r"\s*(?:,|\(|--|—|–|:|-)\s*(?:by far\s+|also\s+|arguably\s+|[\w-]+ly\s+)?"
        r"(?:a|an|the|which is a|is a)\s+",
        after,
    )
    if appositive:
        rest = after[appositive.end() :]
        stop = _NP_STOP.search(rest)
        kind = _phrase_kind(rest[: stop.start() if stop else 80])
        if kind:
            return kind
    before = sentence[max(0, at - 80) : at]
    verb = list(_INTRO_VERB_END.finditer(before))
    if verb:
        kind = _phrase_kind(before[verb[-1].end() :])
        if kind:
            return kind
    head = re.search(
        r"(?:^|\s)(?:(?:a|an|the|our)\s+(?:[\w-]+\s+){0,4}\w+),?\s*(?:called\s+|named\s+|"
        r"termed\s+|dubbed\s+)?$",
        before,
        re.IGNORECASE,
    )
    return _phrase_kind(head.group(0)) if head else None


_INTRO_VERB_END = re.compile(r"\b" + VERBS + r"\s+", re.IGNORECASE)
_SURVEY = re.compile(r"\b(?:survey|review|overview|tutorial|primer|roadmap)\b", re.IGNORECASE)
_POSITION = re.compile(r"\b(?:position paper|this position)\b", re.IGNORECASE)
_ANALYSIS = re.compile(
    r"\b(?:we|this (?:paper|work|study))\s+(?:\w+\s+){0,3}"
    r"(?:stud(?:y|ies)|investigat\w*|analy[sz]\w*|examin\w*|explor\w*|find|found|reveal\w*|"
    r"show that|characteriz\w*|measur\w*|probe|ask|revisit\w*|evaluat\w*|demonstrate that|"
    r"hypothesi[sz]e|identify)\b",
    re.IGNORECASE,
)


def kind_of(title: str, abstract: str, primary: str | None) -> str:
    """method / model / dataset / benchmark / survey / analysis / system / position."""
    head = " ".join((title or "").split()[:12])
    if _SURVEY.search(head) or re.search(r"\b(?:this|our) survey\b", abstract, re.IGNORECASE):
        return "survey"
    if _POSITION.search(abstract) or re.match(r"\s*Position\s*:", title or ""):
        return "position"
    if primary and (
        re.search(r"\bbenchmark(?:s|ing)?\b|Bench\b", title or "")
        or re.match(r"[^:]{1,40}:\s*(?:Evaluating|Benchmarking)\b", title or "")
    ):
        return "benchmark"
    if primary:
        name = re.compile(r"(?<![\w-])" + re.escape(primary) + r"(?![\w-])")
        for _, sentence in sentences(abstract):
            found = name.search(sentence)
            if not found or not INTRO.search(sentence):
                continue
            kind = _described_kind(sentence, found.start(), found.end())
            if kind:
                return kind
            break
        prefix = title_prefix(title)
        rest = (title or "")[len(prefix) + 1 :] if prefix else ""
        stop = _NP_STOP.search(rest.lstrip(" :"))
        title_kind = (
            _phrase_kind(rest.lstrip(" :")[: stop.start() if stop else 80]) if rest else None
        )
        if title_kind:
            return title_kind
        return "method"
    if ((title or "").rstrip().endswith("?") or _ANALYSIS.search(abstract)) and not re.search(
        r"\bwe (?:propose|introduce|present)\s+(?:a|an)\s+(?:\w+\s+){0,3}"
        r"(?:method|approach|framework|algorithm|technique)",
        abstract,
        re.IGNORECASE,
    ):
        return "analysis"
    return "method"
