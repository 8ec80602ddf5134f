"""The default extractor: offline rules over the title and abstract (no model, no network)."""

from __future__ import annotations

import re

from papersift.model import SystemCard
from papersift.understand import claims as claims_mod
from papersift.understand import entities, kinds, names
from papersift.understand.text import is_code_url, sentences, unwrap, urls, without_urls

_TLDR_MAX = 200
_INTRO_SENTENCE = re.compile(
    r"\b(?:we|this (?:paper|work|study)|our)\b[^.]*?\b(?:propos|introduc|present|develop|"
    r"build|construct|release|show|find|study|investigat|survey)",
    re.IGNORECASE,
)


class RuleExtractor:
    """Cards from patterns and small lexicons. Bump ``version`` whenever the output can change:
    stored cards made by another version are rebuilt."""

    name = "rules"
    version = "rules-2"  # rules-1: the first merge into main (03:33)

    def extract(self, title: str, abstract: str) -> SystemCard:
        title = unwrap(" ".join((title or "").split()))
        raw = " ".join((abstract or "").split())
        abstract = unwrap(raw)  # names are read without \\textbf{…}; claims quote the raw text
        primary, systems = names.primary_and_systems(title, abstract)
        kind = kinds.kind_of(title, abstract, primary)
        own = set(systems)
        text = without_urls(f"{title}. {abstract}" if title else abstract)
        model_names = entities.models(text, own=own)
        own_benchmarks = {s for s in systems if kind == "benchmark" and s == primary}
        own_benchmarks |= {s for s in systems if re.search(r"Bench|bench|Eval|QA\b", s)}
        bench = entities.benchmarks(
            text, own=own, own_benchmarks=own_benchmarks, model_names=set(model_names)
        )
        if primary and kind == "benchmark" and primary not in bench:
            bench.insert(0, primary)
        found_urls = urls(abstract)
        card_claims = claims_mod.claims(raw, names=set(model_names) | set(bench), own=own)
        return SystemCard(
            systems=tuple(systems),
            kind=kind,
            tasks=tuple(entities.tasks(text)),
            benchmarks=tuple(bench),
            models=tuple(m for m in model_names if m not in bench),
            claims=tuple(card_claims),
            code_urls=tuple(found_urls),
            project_urls=tuple(u for u in found_urls if not is_code_url(u)),
            tldr=tldr(title, abstract, primary),
            extractor=self.version,
        )


def tldr(title: str, abstract: str, primary: str | None) -> str:
    """One line: the sentence where the paper says what it does, else its title."""
    chosen = ""
    for _, sentence in sentences(abstract):
        if (primary and primary in sentence and _INTRO_SENTENCE.search(sentence)) or (
            not primary and _INTRO_SENTENCE.search(sentence)
        ):
            chosen = sentence
            break
    if not chosen:
        chosen = title or (sentences(abstract)[0][1] if abstract else "")
    chosen = re.sub(
        r"^(?:In this (?:paper|work|study),?\s*|To (?:address|tackle|solve|overcome|bridge) "
        r"[^,]{1,80},\s*|Here,?\s*|Therefore,?\s*|Finally,?\s*|Specifically,?\s*)",
        "",
        chosen,
        flags=re.IGNORECASE,
    )
    chosen = _readable(chosen)
    chosen = chosen[:1].upper() + chosen[1:]
    if len(chosen) > _TLDR_MAX:
        chosen = chosen[: _TLDR_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return chosen


_LATEX_WRAPPER = re.compile(
    r"\\(?:textbf|textit|emph|texttt|textsc|mathrm|mathbf|mathcal|text)\{([^{}]*)\}"
)
_LATEX_SYMBOLS = {"\\%": "%", "\\times": "×", "\\sim": "~", "\\approx": "≈", "\\&": "&"}


def _readable(text: str) -> str:
    """A one-liner without the LaTeX that reads badly (``\\textbf{X}``, ``18\\%``, ``$``)."""
    if "\\" not in text and "$" not in text:
        return text
    text = _LATEX_WRAPPER.sub(r"\1", text)
    for command, symbol in _LATEX_SYMBOLS.items():
        text = text.replace(command, symbol)
    text = re.sub(r"\\[A-Za-z]+\s?", "", text).replace("$", "")
    return " ".join(text.split())
