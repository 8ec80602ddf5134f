"""BibTeX: a library as Zotero, arXiv, DBLP, Google Scholar and JabRef export it (with a broken
entry), and a round trip through ``papersift export --format bibtex``."""

# ruff: noqa: E501 (the library keeps the exporters' long lines)

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from papersift.errors import ParseError
from papersift.model import Authority, Links, Record, Rejected
from papersift.radar import Radar
from papersift.sources.base import Input
from papersift.sources.bibtex import bibtex_authors, strip_braces
from papersift.sources.detect import detect, get_format
from tests.conftest import DATA, Cli, dump_store, ingest, ingest_text

LIBRARY = r"""% Encoding: UTF-8

@String{nips = {Advances in Neural Information Processing Systems}}

@article{vaswani_attention_2017,
	title = {Attention {Is} {All} {You} {Need}},
	url = {http://arxiv.org/abs/1706.03762},
	doi = {10.48550/arXiv.1706.03762},
	abstract = {The dominant sequence transduction models are based on complex recurrent or convolutional neural networks in an encoder-decoder configuration.},
	urldate = {2024-05-02},
	publisher = {arXiv},
	author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki and Uszkoreit, Jakob and Jones, Llion and Gomez, Aidan N. and Kaiser, Lukasz and Polosukhin, Illia},
	month = aug,
	year = {2017},
	note = {arXiv:1706.03762 [cs]},
	keywords = {Computer Science - Computation and Language, Computer Science - Machine Learning},
	booktitle = nips,
}

@misc{devlin2019bert,
      title={BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding},
      author={Jacob Devlin and Ming-Wei Chang and Kenton Lee and Kristina Toutanova},
      year={2019},
      eprint={1810.04805},
      archivePrefix={arXiv},
      primaryClass={cs.CL},
      url={https://arxiv.org/abs/1810.04805},
}

@inproceedings{DBLP:conf/cvpr/HeZRS16,
  author    = {Kaiming He and
               Xiangyu Zhang and
               Shaoqing Ren and
               Jian Sun},
  title     = {Deep Residual Learning for Image Recognition},
  booktitle = {2016 {IEEE} Conference on Computer Vision and Pattern Recognition, {CVPR} 2016},
  pages     = {770--778},
  publisher = {{IEEE} Computer Society},
  year      = {2016},
  url       = {https://doi.org/10.1109/CVPR.2016.90},
  doi       = {10.1109/CVPR.2016.90},
}

@article{kingma2014adam,
  title={Adam: A method for stochastic optimization},
  author={Kingma, Diederik P and Ba, Jimmy},
  journal={arXiv preprint arXiv:1412.6980},
  year={2014}
}

@article{broken2020,
  title = {A {broken entry,
  author = {Nobody, Some},
  year = {2020},
}

@Article{Balazs2007,
  author        = {Bal{\'a}zs, C. and Berger, E. L. and Nadolsky, P. M. and Yuan, C.-P.},
  title         = "{Calculation of prompt diphoton production cross sections at {T}evatron and {LHC} energies}",
  journal       = {Phys. Rev. D},
  volume        = 76,
  pages         = {013009},
  year          = 2007,
  month         = jul,
  eprint        = {0704.0001},
  archiveprefix = {arXiv},
  doi           = {10.1103/PhysRevD.76.013009},
}

@book{knuth1984texbook,
  title     = {The {\TeX}book},
  author    = {Knuth, Donald E.},
  publisher = {Addison-Wesley},
  year      = {1984},
}

@misc{untitled2021,
  author = {Someone, A.},
  year   = {2021},
}

@Comment{jabref-meta: databaseType:bibtex;}
"""


def _items(text: str = LIBRARY) -> list[Record | Rejected]:
    return list(get_format("bibtex").parse(Input.from_bytes("library.bib", text.encode())))


def _line(needle: str, text: str = LIBRARY) -> int:
    return text.splitlines().index(next(x for x in text.splitlines() if needle in x)) + 1


def test_library_entries() -> None:
    assert detect(Input.from_bytes("library.bib", LIBRARY.encode())).name == "bibtex"
    items = _items()
    assert [type(i).__name__ for i in items] == [
        "Record",
        "Record",
        "Record",
        "Record",
        "Rejected",
        "Record",
        "Record",
        "Rejected",
    ]
    zotero, arxiv, dblp, scholar, broken, aps, book, untitled = items
    assert zotero == Record(
        source="bibtex",
        ref=f"line {_line('@article{vaswani')}",
        authority=Authority.AGGREGATOR,
        arxiv_id="1706.03762",
        title="Attention {Is} {All} {You} {Need}",
        abstract="The dominant sequence transduction models are based on complex recurrent or "
        "convolutional neural networks in an encoder-decoder configuration.",
        authors=(
            "Ashish Vaswani",
            "Noam Shazeer",
            "Niki Parmar",
            "Jakob Uszkoreit",
            "Llion Jones",
            "Aidan N. Gomez",
            "Lukasz Kaiser",
            "Illia Polosukhin",
        ),
        submitted="2017-08",
        links=Links(abs="http://arxiv.org/abs/1706.03762"),
        extra=(
            ("bibtex_type", "article"),
            ("bibtex_key", "vaswani_attention_2017"),
            ("booktitle", "Advances in Neural Information Processing Systems"),
            (
                "keywords",
                "Computer Science - Computation and Language, Computer Science - Machine Learning",
            ),
            ("note", "arXiv:1706.03762 [cs]"),
            ("publisher", "arXiv"),
        ),
    )
    assert isinstance(arxiv, Record)
    assert (arxiv.arxiv_id, arxiv.categories, arxiv.submitted) == ("1810.04805", ("cs.CL",), "2019")
    assert arxiv.authors == ("Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova")
    assert isinstance(dblp, Record)
    assert (dblp.doi, dblp.arxiv_id, dblp.journal_ref) == ("10.1109/cvpr.2016.90", None, None)
    assert dblp.authors == ("Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun")
    assert dict(dblp.extra)["booktitle"].startswith("2016 {IEEE} Conference on Computer Vision")
    assert isinstance(scholar, Record)
    assert (scholar.arxiv_id, scholar.journal_ref) == ("1412.6980", None)
    assert scholar.authors == ("Diederik P Kingma", "Jimmy Ba")
    assert isinstance(broken, Rejected)
    assert broken.ref == f"line {_line('@article{broken2020')}"
    assert "Unexpected block start" in broken.reason
    assert isinstance(aps, Record)
    assert aps.title == (
        "Calculation of prompt diphoton production cross sections at {T}evatron and {LHC} energies"
    )
    assert aps.authors == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan")
    assert (aps.arxiv_id, aps.doi) == ("0704.0001", "10.1103/physrevd.76.013009")
    assert (aps.journal_ref, aps.submitted) == ("Phys. Rev. D 76, 013009", "2007-07")
    assert isinstance(book, Record)
    assert (book.title, book.authors, book.arxiv_id, book.doi) == (
        "The {\\TeX}book",
        ("Donald E. Knuth",),
        None,
        None,
    )
    assert untitled == Rejected(
        f"line {_line('@misc{untitled2021')}", "entry 'untitled2021' has no title", "title"
    )


def test_ingest_rejects_the_bad_and_keeps_the_good(radar: Radar, db_path: Path) -> None:
    report = ingest_text(radar, "library.bib", LIBRARY)
    assert (report.format, report.new, report.error) == ("bibtex", 6, None)
    assert [(r.ref, r.field) for r in report.rejected] == [
        (f"line {_line('@article{broken2020')}", None),
        (f"line {_line('@misc{untitled2021')}", "title"),
    ]
    assert radar.get("1706.03762").title == "Attention Is All You Need"
    assert radar.get("10.1109/CVPR.2016.90").title == "Deep Residual Learning for Image Recognition"
    before = dump_store(db_path)
    again = ingest_text(radar, "library.bib", LIBRARY)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 6)
    assert dump_store(db_path) == before


def test_an_entry_meets_its_arxiv_abs(radar: Radar) -> None:
    ingest(radar, DATA / "arxiv-abs-native" / "arxiv" / "papers" / "0704" / "0704.0001.abs")
    report = ingest_text(radar, "library.bib", LIBRARY)
    assert (report.new, report.updated + report.unchanged) == (5, 1)
    paper = radar.get("0704.0001")
    assert sorted(s.source for s in paper.sources) == ["arxiv-abs", "bibtex"]
    assert paper.journal_ref == "Phys.Rev.D76:013009,2007"  # arXiv's own metadata wins


def test_duplicate_keys_are_two_entries() -> None:
    text = (
        '@misc{same, title = "First paper on graphs", year = 2020}\n'
        "@misc{same, title = {Second paper on graphs}, eprint = {2001.00001}, "
        "archivePrefix = {arXiv}}\n"
    )
    first, second = _items(text)
    assert isinstance(first, Record)
    assert isinstance(second, Record)
    assert (first.title, first.submitted) == ("First paper on graphs", "2020")
    assert (second.title, second.arxiv_id, second.ref) == (
        "Second paper on graphs",
        "2001.00001",
        "line 2",
    )


def test_names_and_braces() -> None:
    names = r"{The ATLAS Collaboration} and M{\"u}ller, J{\"u}rgen and van der Berg, Jr., Jan"
    assert bibtex_authors(names + " and others") == (
        "The ATLAS Collaboration",
        "Jürgen Müller",
        "Jan van der Berg Jr.",
    )
    assert strip_braces("{{Attention Is All You Need}}") == "Attention Is All You Need"
    assert strip_braces("{BERT} and {GPT}") == "{BERT} and {GPT}"
    assert strip_braces(r"{Caf\'{e}}") == r"Caf\'{e}"


def test_sniffing_is_specific() -> None:
    sniff = get_format("bibtex").sniff
    assert sniff(LIBRARY)
    assert sniff("@misc{x,\n title={T}}\n")
    for head in (
        (DATA / "seeds" / "README.md").read_text(),
        "# My project\n\n```bibtex\n@article{me2024, title={Cite me}}\n```\n",
        "Contact: someone@example.org\n",
        '{"title": "T", "abstract": "A"}\n',
    ):
        assert not sniff(head)


def test_unreadable_text_is_refused() -> None:
    with pytest.raises(ParseError, match="invalid UTF-8"):
        list(get_format("bibtex").parse(Input.from_bytes("x.bib", b"@misc{a, title={Caf\xe9}}")))


def test_round_trip_through_export(cli: Cli, tmp_path: Path) -> None:
    folder = DATA / "arxiv-abs-native" / "arxiv" / "papers" / "0704"
    library = tmp_path / "library.bib"
    library.write_text(LIBRARY)
    result = cli("ingest", str(folder), str(library))
    assert result.exit_code == 1, result.output  # 1: the two bad entries were rejected
    exported = tmp_path / "export.bib"
    assert cli("export", "--format", "bibtex", "-o", str(exported)).exit_code == 0
    fresh = Cli(tmp_path / "fresh.sqlite3", tmp_path)
    reports = fresh.json("ingest", "--json", str(exported))
    assert [(r["format"], r["rejected"], r["error"]) for r in reports] == [("bibtex", [], None)]
    before = _papers(cli)
    after = _papers(fresh)
    assert len(before) == len(after) == 801 + 5  # the library's 0704.0001 is one of the 801
    assert reports[0]["new"] == len(before)

    def key(paper: dict[str, object]) -> tuple[str, object]:
        # titles are the clean ones; braces that clean text still shows do not survive export
        return re.sub(r"[{}]", "", str(paper["title"] or paper["display_name"])), paper["arxiv_id"]

    assert sorted(map(key, before)) == sorted(map(key, after))
    assert {p["arxiv_id"] for p in before} == {p["arxiv_id"] for p in after}


def _papers(cli: Cli) -> list[dict[str, object]]:
    result = cli("export", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]
