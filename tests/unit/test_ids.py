"""arXiv ids and DOIs in every spelling, reduced to one form."""

from __future__ import annotations

import pytest

from papersift.sources.ids import content_id, normalize_doi, parse_arxiv_id, text_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2503.11731", ("2503.11731", None)),
        ("2503.11731v2", ("2503.11731", 2)),
        ("arXiv:2503.11731v12", ("2503.11731", 12)),
        ("oai:arXiv.org:2508.13167v1", ("2508.13167", 1)),
        ("0704.0001", ("0704.0001", None)),
        ("https://arxiv.org/abs/2410.23331", ("2410.23331", None)),
        ("http://arxiv.org/pdf/2410.23331v3.pdf", ("2410.23331", 3)),
        ("https://arxiv.org/pdf/2410.23331v3", ("2410.23331", 3)),
        ("https://arxiv.org/html/2410.23331v1#S2", ("2410.23331", 1)),
        ("https://export.arxiv.org/abs/2410.23331?context=cs", ("2410.23331", None)),
        ("hep-th/9709111", ("hep-th/9709111", None)),
        ("hep-th/9709111v2", ("hep-th/9709111", 2)),
        ("math.AG/0601001v1", ("math/0601001", 1)),
        ("http://arxiv.org/abs/quant-ph/0201082v1", ("quant-ph/0201082", 1)),
        ("oai:arXiv.org:cond-mat/0102536", ("cond-mat/0102536", None)),
        ("  2503.11731  ", ("2503.11731", None)),
    ],
)
def test_arxiv_ids(text: str, expected: tuple[str, int | None]) -> None:
    assert parse_arxiv_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2503",
        "10.1145/3292500",
        "hello world",
        "https://example.org/abs/2503.11731x",
        "25031.1731",
        "arXiv",
    ],
)
def test_not_arxiv_ids(text: str) -> None:
    assert parse_arxiv_id(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1088/1751-8121/aa9c53", "10.1088/1751-8121/aa9c53"),
        ("https://doi.org/10.1145/3292500.3330701", "10.1145/3292500.3330701"),
        ("doi:10.1002/ANDP.201700188.", "10.1002/andp.201700188"),
        ("no doi here", None),
        (None, None),
    ],
)
def test_dois(text: str | None, expected: str | None) -> None:
    assert normalize_doi(text) == expected


def test_text_keys_ignore_form_but_not_content() -> None:
    a = text_key("MANTIS: Interleaved  Multi-Image\nInstruction Tuning")
    assert a == text_key("Mantis - interleaved multi-image instruction tuning.")
    assert a != text_key("MANTIS: Interleaved Multi-Image Instruction Tuning v2")
    assert text_key('Schr\\"odinger café') == text_key("Schrodinger cafe")
    assert text_key("$\\alpha$-Net") == text_key("-Net")  # LaTeX commands carry no identity
    assert text_key("  ...  ") is None


def test_content_ids_are_stable_and_distinct() -> None:
    assert content_id("abstract:abc") == content_id("abstract:abc")
    assert content_id("abstract:abc") != content_id("abstract:abd")
    assert content_id("x").startswith("ps-")
