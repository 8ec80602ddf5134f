"""Benchmarks, models and tasks a paper names: packaged lexicons of well-known names, widened by
the shapes names take in context ("on the IFEval benchmark", "datasets (A, B, and C)")."""

from __future__ import annotations

import functools
import re

from papersift.understand.text import (
    generic_words,
    is_namey,
    lexicon,
    sentences,
    strip_token,
    tokens,
)

# --- models ----------------------------------------------------------------------------------

_SIZE = r"\d+(?:\.\d+)*(?:[BMKbmk]|x\d+[BM])?"
_WORD_SUFFIX = (
    r"Instruct|Chat|Base|Turbo|Pro|Flash|Mini|mini|Large|Small|Tiny|Nano|Ultra|Max|Plus|Vision|"
    r"Coder|Math|MoE|Preview|preview|Sonnet|Opus|Haiku|XL|XXL|it|hf|HF|Omni|VL|Video|NeXT|"
    r"OneVision|Next|Distill|Lite|Air|Medium|Code"
)
_SUFFIX = (
    r"(?:(?:[-_]?" + r"\d+(?:\.\d+)*[a-z]?(?:[BMK]\b)?" + r")"  # Qwen2.5, GPT-4o, Emu2, 7B
    r"|(?:[-_]v\d+(?:\.\d+)*)|(?:\sv\d+(?:\.\d+)*)"  # -v0.1, " v0.1"
    r"|(?:/\d+(?:\.\d+)?(?![\w.]))"  # LLaMA2/3
    r"|(?:[-_](?:" + _WORD_SUFFIX + r")\b)"
    r"|(?:[-_]\d+(?:\.\d+)?[BMK])"
    r"|(?:\s(?:" + _SIZE + r")(?=[\s,.;:)]|$))"  # "Llama-2 7B", "Pythia 1B"
    r"|(?:\s(?:Pro|Flash|Ultra|Turbo|Sonnet|Opus|Haiku|Nano|Mini)\b))*"
)


@functools.cache
def _model_re() -> re.Pattern[str]:
    families = sorted(lexicon("models"), key=len, reverse=True)
    alternation = "|".join(re.escape(f) for f in families)
    return re.compile(r"(?<![\w-])(?:OpenAI\s)?(?:" + alternation + r")" + _SUFFIX + r"(?![\w-])")


_SIZED_TOKEN = re.compile(r"(?<![\w-])[A-Za-z][\w.-]*[-_]\d+(?:\.\d+)?[BM](?:[-_][\w.-]*)?")
_SIZED = re.compile(r"[-_]\d+(?:\.\d+)?[BM](?:[-_]|$)")  # "-8B", "-1.5B-", "-70B"


@functools.cache
def _families() -> tuple[str, ...]:
    return tuple(f + "-" for f in lexicon("models") if " " not in f)


def sized_model(token: str) -> bool:
    """A checkpoint name: a known family, then a size ("Qwen3-Embedding-8B", "KaLM-…-12B" no)."""
    return bool(_SIZED.search(token)) and token.startswith(_families())


def models(text: str, *, own: set[str]) -> list[str]:
    """Existing models ``text`` names (families with their versions and sizes), not ``own``."""
    found: list[str] = []
    spans: list[tuple[int, str]] = [(m.start(), m.group(0)) for m in _model_re().finditer(text)]
    covered = {at for at, _ in spans}
    for m in _SIZED_TOKEN.finditer(text):
        token = strip_token(m.group(0))
        if m.start() not in covered and sized_model(token):
            spans.append((m.start(), token))
    spans.sort()
    for _, raw in spans:
        name = raw.strip()
        name = re.sub(r"\s+(?:\d+(?:\.\d+)?)$", "", name) if name.count(" ") > 2 else name
        if name in own or any(name.startswith(o) and o for o in own if len(o) > 3):
            continue
        if name not in found:
            found.append(name)
    return _once(_drop_contained(found))


def _drop_contained(names: list[str]) -> list[str]:
    """Without "X 370M" when X itself is named too (the size is a detail of the same model)."""
    found = set(names)
    return [n for n in names if not (" " in n and re.sub(r"\s+[\d.]+[BMK]$", "", n) in found - {n})]


# --- benchmarks --------------------------------------------------------------------------------

_BENCH_SHAPE = re.compile(r"(?:Bench|bench|BENCH|Eval|Arena|QA|VQA|GLUE|Gym|World)(?:[-\d.]|$|\b)")
_EVAL_WORDS = re.compile(
    r"\b(?:benchmarks?|datasets?|tasks?|evaluat\w*|experiments?|accuracy|results?|"
    r"state-of-the-art|SOTA|outperform\w*|surpass\w*|achiev\w*|score[sd]?|leaderboard|"
    r"test(?:ed|ing|s)?|suites?|mAP|mIoU|F1|on)\b"
)
_LIST_KEY = re.compile(
    r"\b(?:benchmarks?|datasets?|tasks?|suites?|including|such as|like|e\.g\.,?|namely|on)"
    r"\s*(?:\(|:)?\s*"
)
_BENCH_NOUN = re.compile(r"\s(?:benchmarks?|datasets?|leaderboard|challenge|test set|suite)\b")
_LIST_SPLIT = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or|as well as|&)\s+")


def _listed(text: str) -> list[str]:
    """The names listed at the start of ``text`` ("A, B, and C) ..." → A, B, C)."""
    end = re.search(r"[).;:]\s|[).;:]$|\s(?:with|to|in|for|that|which|show|demonstrat)", text)
    body = text[: end.start() if end else 160][:200]
    names = []
    for part in _LIST_SPLIT.split(body):
        name = strip_token(part.strip().removeprefix("the ").strip(" ()"))
        if not name or len(name.split()) > 3 or not is_namey(name.split()[0]):
            break
        names.append(name)
    return names


@functools.cache
def _bench_lexicon() -> tuple[frozenset[str], re.Pattern[str] | None]:
    entries = lexicon("benchmarks")
    single = frozenset(e for e in entries if " " not in e)
    multi = [e for e in entries if " " in e]
    pattern = (
        re.compile(r"(?<![\w-])(" + "|".join(re.escape(m) for m in multi) + r")(?![\w-])")
        if multi
        else None
    )
    return single, pattern


def _known_benchmark(token: str) -> bool:
    single, _ = _bench_lexicon()
    if token in single:
        return True
    head = token.split("-", 1)[0]
    return head in single and head != token and len(head) >= 4


def _benchmark_like(token: str) -> bool:
    return bool(_BENCH_SHAPE.search(token)) and is_namey(token)


def benchmarks(
    text: str, *, own: set[str], own_benchmarks: set[str], model_names: set[str]
) -> list[str]:
    """Named benchmarks and datasets the paper evaluates on."""
    found: list[tuple[int, str]] = []
    seen: set[str] = set()

    def add(at: int, name: str) -> None:
        name = strip_token(name.removeprefix("the ").strip())
        if (
            not name
            or name in seen
            or _SIZED.search(name)
            or name in generic_words()
            or name in model_names
            or (name in own and name not in own_benchmarks)
        ):
            return
        seen.add(name)
        found.append((at, name))

    _, multi = _bench_lexicon()
    if multi:
        for m in multi.finditer(text):
            add(m.start(), m.group(1))
    for at, token in tokens(text):
        if (
            _known_benchmark(token)
            or (_benchmark_like(token) and token not in own)
            or (token in own_benchmarks)
        ):
            add(at, token)
    for start, sentence in sentences(text):
        if not _EVAL_WORDS.search(sentence):
            continue
        for m in _BENCH_NOUN.finditer(sentence):  # "the IFEval benchmark"
            words = [strip_token(w) for w in sentence[max(0, m.start() - 60) : m.start()].split()]
            words = words[-3:]
            while words and not (words[0][:1].isupper() and is_namey(words[0])):
                words.pop(0)
            if words and all(w[:1].isupper() or w[:1].isdigit() for w in words):
                name = " ".join(words) if len(words) > 1 else words[0]
                if name not in model_names:
                    add(start + m.start(), name)
        for m in _LIST_KEY.finditer(sentence):
            keyword = m.group(0).split()[0].lower()
            if keyword in ("on", "like", "such", "including", "e.g.", "e.g.,", "namely"):
                window = sentence[max(0, m.start() - 80) : m.end() + 120]
                if not re.search(r"benchmark|dataset|tasks?\b", window, re.IGNORECASE):
                    continue
            for name in _listed(sentence[m.end() :]):
                if " " not in name and name not in model_names:
                    add(start + m.end(), name)
    found.sort()
    return _once([name for _, name in found])


def _once(names: list[str]) -> list[str]:
    """Each name once, whatever its case ("Text-VQA" and "text-VQA"): the first spelling."""
    seen: set[str] = set()
    out = []
    for name in names:
        if name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


# --- tasks -------------------------------------------------------------------------------------


@functools.cache
def _task_re() -> re.Pattern[str]:
    names = sorted(lexicon("tasks"), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")s?(?![\w-])")


def tasks(text: str, limit: int = 5) -> list[str]:
    """Task names from the packaged list, most mentioned first (then first mentioned)."""
    counts: dict[str, int] = {}
    for m in _task_re().finditer(text.lower()):  # the list is lower case
        name = m.group(1).lower()
        counts[name] = counts.get(name, 0) + 1
    ranked = sorted(counts, key=lambda n: -counts[n])
    return ranked[:limit]
