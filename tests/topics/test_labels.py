"""Readable labels: candidate phrases and the class-based TF-IDF choice."""

from __future__ import annotations

from papersift.topics.labels import choose, label_of, label_threads, phrases_of


def test_phrases_stop_at_stopwords_and_punctuation() -> None:
    found = phrases_of("We propose KV cache compression, which reduces GPU memory by 4x.")
    assert {"kv cache compression", "kv cache", "gpu memory", "reduces gpu memory"} <= found
    assert not any(p.startswith(("we ", "propose", "which")) for p in found)
    assert "compression which" not in found and "4x" in found
    assert not any(p.split()[0].isdigit() for p in found)


def test_common_long_names_and_acronyms_fold() -> None:
    found = phrases_of("Large Language Models use the key-value (KV) cache; multimodal LLMs too")
    assert "llms" in found and "kv cache" in found and "multimodal llms" in found
    assert "large language" not in found
    assert "systematically" not in phrases_of("we systematically study pruning")


def test_longer_phrase_replaces_the_one_it_contains_when_nearly_as_strong() -> None:
    assert choose({"kv cache": 1.0, "kv cache compression": 0.8, "cache": 0.9}, keep=3) == (
        "kv cache compression",
    )
    assert choose({"kv cache": 1.0, "kv cache compression": 0.3, "pruning": 0.5}) == (
        "kv cache",
        "pruning",
    )
    assert choose({"diffusion models": 1.0, "diffusion model": 0.9, "video": 0.2}) == (
        "diffusion models",
        "video",
    )


def test_distinctive_phrases_win_over_common_ones() -> None:
    texts = [
        (0, "KV cache compression for LLMs. Language models decode faster with KV cache."),
        (0, "Quantized KV cache compression. Language models and long context."),
        (0, "KV cache eviction for language models."),
        (1, "Visual token pruning for vision encoders. Language models see images."),
        (1, "Token pruning speeds up vision encoders of language models."),
        (1, "Visual token pruning with attention. Language models."),
    ]
    result = label_threads(lambda: iter(texts), {0: 3, 1: 3})
    assert result[0][0].startswith("kv cache")
    assert "token pruning" in " | ".join(result[1][:2])
    assert "language models" not in (result[0][0], result[1][0])  # in both: not distinctive
    assert label_of(result[0]).count(" · ") == min(2, len(result[0]) - 1)
    assert label_of(()) == "(unlabelled)"
