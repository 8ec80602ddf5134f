"""A readable name for a paper that came without a title: the system its abstract proposes."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
_VERB = re.compile(
    r"\b(?:we|this (?:paper|work|study)|our (?:work|paper)|namely|called|named|dubbed|termed|"
    r"coined)"
    r"\b[^.]*?\b(?:propos|introduc|present|develop|design|build|construct|releas|call|name|"
    r"dub|term|coin|namely)\w*",
    re.IGNORECASE,
)
# a token that looks like a name: has an upper-case letter after its first character, or a digit
_NAME = r"[A-Z][\w.^{}+-]*(?:[A-Z0-9][\w.^{}+-]*)"
_ABBREV = re.compile(r"\((" + _NAME + r"|[A-Z]{2,}[\w-]*)\)")
_AFTER_CALLED = re.compile(
    r"\b(?:namely|called|named|dubbed|termed|coined)\s+(?:as\s+)?[“\"']?("
    + _NAME
    + r"|[A-Z][a-z]\w+)"
)
_AFTER_VERB = re.compile(
    r"\b(?:propose|introduce|present|develop|release|build)s?\s+(?:the\s+|a\s+|an\s+)?(?:new\s+|novel\s+)?"
    r"(" + _NAME + r")(?=\s*[,:(\u2014–-]|\s+(?:a|an|the|which|that|to|for)\b)"
)
_TITLED = re.compile(
    r"\b(?:propose|introduce|present)s?\s+(?:the\s+|a\s+)?((?:[A-Z][\w-]+\s+){0,3}[A-Z][\w-]+)"
    r"\s*(?:[-–—,:]\s+(?:a|an)\b)"
)

# generic acronyms that name a field or family, never a paper's own system
_GENERIC = frozenset(
    [
        "AI",
        "AGI",
        "LLM",
        "LLMs",
        "MLLM",
        "MLLMs",
        "LMM",
        "LMMs",
        "VLM",
        "VLMs",
        "LVLM",
        "LVLMs",
        "VLA",
        "VLAs",
        "RL",
        "RLHF",
        "NLP",
        "CV",
        "GPU",
        "GPUs",
        "CPU",
        "KV",
        "API",
        "APIs",
        "SOTA",
        "RAG",
        "CNN",
        "CNNs",
        "GNN",
        "GNNs",
        "RNN",
        "RNNs",
        "MLP",
        "MLPs",
        "ML",
        "DL",
        "QA",
        "VQA",
        "OCR",
        "ASR",
        "TTS",
    ]
)


def system_name(abstract: str) -> str | None:
    """The name of the system the abstract says it proposes, or ``None``."""
    for sentence in _SENTENCE.split(abstract):
        verb = _VERB.search(sentence)
        if not verb:
            continue
        tail = sentence[verb.start() :]
        for pattern in (_ABBREV, _AFTER_CALLED, _AFTER_VERB, _TITLED):
            for found in pattern.finditer(tail):
                name = found.group(1).strip(".,;:")
                if name not in _GENERIC:
                    return name
    return None


def display_name(title: str, abstract: str, limit: int = 90) -> str:
    """The title when there is one; else the proposed system's name; else the abstract's start."""
    if title:
        return title
    if not abstract:
        return "(untitled)"
    name = system_name(abstract)
    if name:
        return name
    first = _SENTENCE.split(abstract, maxsplit=1)[0]
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"
