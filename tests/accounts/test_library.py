"""Libraries through the facade and the CLI: save, tag, rate, note, mark, remove, import,
export; every call scoped to its user."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from papersift.errors import NotInLibraryError, UserNotFoundError
from papersift.radar import Radar
from papersift.sources.base import Input
from tests.conftest import Cli

KV = ("2502.16886", "2606.24033")


def test_add_tag_rate_note_mark(sample: Radar) -> None:
    alice = sample.user("alice")
    sample.library_add(alice, KV, tags=["KV cache", "kv cache"])
    entry = sample.library_mark(alice, "2606.24033", rating=1, note="read §3", read=True)
    assert entry.saved and entry.rating == 1 and entry.note == "read §3" and entry.read_at
    assert entry.tags == ("kv cache",)
    sample.library_mark(alice, "https://arxiv.org/abs/2606.31145v1", not_interested=True)
    saved = [p.id for _, p in sample.library(alice)]
    assert sorted(saved) == sorted(KV)
    everything = {e.paper_id: e for e, _ in sample.library(alice, everything=True)}
    assert everything["2606.31145"].dismissed and not everything["2606.31145"].saved
    assert [p.id for _, p in sample.library(alice, tag="KV Cache")] != []
    sample.library_mark(alice, "2606.24033", remove_tags=["kv cache"])
    assert [p.id for _, p in sample.library(alice, tag="kv cache")] == ["2502.16886"]
    sample.library_remove(alice, "2502.16886")
    with pytest.raises(NotInLibraryError):
        sample.library_remove(alice, "2502.16886")


def test_users_are_isolated(sample: Radar) -> None:
    alice, bob = sample.user("alice"), sample.user("bob")
    sample.library_add(alice, KV)
    assert sample.library(bob) == []
    with pytest.raises(NotInLibraryError):  # bob cannot reach alice's entry by its paper id
        sample.library_entry(bob, KV[0])
    with pytest.raises(NotInLibraryError):
        sample.library_remove(bob, KV[0])
    assert len(sample.library(alice)) == 2  # untouched by bob's attempts
    sub = sample.subscribe(alice, email="alice@example.org")
    with pytest.raises(NotInLibraryError):  # nor her subscription by its id
        sample.update_subscription(bob, sub.id, active=False)
    assert sample.subscriptions(bob) == []
    assert sample.store.subscriptions(alice.id)[0].active


def test_unknown_user_outside_local_mode(tmp_path: Path, store_file: Path) -> None:
    from papersift.config import Settings

    with Radar.open(Settings(home=tmp_path, db=str(store_file), local_mode="off")) as radar:
        with pytest.raises(UserNotFoundError):
            radar.user("nobody")
        assert radar.user("nobody", create=True).name == "nobody"


def test_import_ids_and_bibtex(sample: Radar, tmp_path: Path) -> None:
    alice = sample.user("alice")
    listed = "2502.16886\narXiv:2606.24033v2\n\nhttps://arxiv.org/abs/2606.31145\n9999.99999\n"
    result = sample.library_import(alice, Input.from_bytes("ids.txt", listed.encode()))
    assert set(result.added) == {"2502.16886", "2606.24033", "2606.31145"}
    assert result.missing == ("9999.99999",)
    bib = (
        "@article{a, title={A Paper Not Seen Before About Sparse Attention}, "
        "author={Doe, Jane}, year={2025}, eprint={2501.00001}, archivePrefix={arXiv}}\n"
        "@misc{b, title={ReFreeKV}, eprint={2502.16886}, archivePrefix={arXiv}}\n"
    )
    bob = sample.user("bob")
    result = sample.library_import(bob, Input.from_bytes("zotero.bib", bib.encode()), tags=["z"])
    assert set(result.added) == {"2501.00001", "2502.16886"}
    assert sample.get("2501.00001").title.startswith("A Paper Not Seen")
    assert {p.id for _, p in sample.library(bob, tag="z")} == {"2501.00001", "2502.16886"}


def test_cli_library_round_trip(sample_cli: Cli, tmp_path: Path) -> None:
    result = sample_cli("library", "add", "--user", "carol", *KV, "--tag", "kv")
    assert result.exit_code == 0, result.output
    assert sample_cli("library", "rate", "--user", "carol", KV[0], "up").exit_code == 0
    assert sample_cli("library", "note", "--user", "carol", KV[0], "good").exit_code == 0
    listed = sample_cli.json("library", "list", "--user", "carol", "--json")
    by_id = {row["id"]: row["library"] for row in listed}
    assert by_id[KV[0]]["rating"] == 1 and by_id[KV[0]]["note"] == "good"
    assert by_id[KV[1]]["tags"] == ["kv"]
    bib = sample_cli("library", "export", "--user", "carol", "--format", "bibtex")
    assert bib.exit_code == 0 and bib.output.count("@misc{") + bib.output.count("@article{") == 2
    csv = sample_cli("library", "export", "--user", "carol", "--format", "csv")
    assert csv.output.splitlines()[0].startswith("id,arxiv_id")
    assert len(csv.output.strip().splitlines()) == 3
    exported = json.loads(
        sample_cli("library", "export", "--user", "carol", "--format", "json").output
    )
    assert {row["id"] for row in exported} == set(KV)
    # the exported BibTeX imports back into another library
    path = tmp_path / "carol.bib"
    path.write_text(bib.output, encoding="utf-8")
    imported = sample_cli.json("library", "import", "--user", "dave", str(path), "--json")
    assert set(imported["added"]) == set(KV)
    missing = sample_cli("library", "add", "--user", "carol", "0000.00000")
    assert missing.exit_code == 5 and "Traceback" not in missing.output
