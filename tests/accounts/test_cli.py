"""The accounts commands end to end in-process: prefs, digest subscribe/list/send, errors."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli

KV = ("2502.16886", "2606.24033")


def test_prefs_round_trip(sample_cli: Cli) -> None:
    data = sample_cli.json(
        "prefs",
        "--user",
        "gil",
        "--include",
        "kv cache",
        "--exclude",
        "survey",
        "--category",
        "cs.CL",
        "--topic",
        "long context",
        "--json",
    )
    assert data["include_keywords"] == ["kv cache"] and data["categories"] == ["cs.CL"]
    again = sample_cli.json("prefs", "--user", "gil", "--include", "quantization", "--json")
    assert again["include_keywords"] == ["kv cache", "quantization"]
    assert sample_cli.json("prefs", "--user", "gil", "--clear", "--json")["topics"] == []


def test_digest_commands(sample_cli: Cli, tmp_path: Path) -> None:
    assert sample_cli("library", "add", "--user", "hal@example.org", *KV).exit_code == 0
    sub = sample_cli.json("digest", "subscribe", "--user", "hal@example.org", "--weekly", "--json")
    assert sub["email"] == "hal@example.org" and sub["frequency"] == "weekly"
    assert sub["feed"].endswith(".atom")
    listed = sample_cli.json("digest", "list", "--user", "hal@example.org", "--json")
    assert [row["id"] for row in listed] == [sub["id"]]
    out = tmp_path / "out"
    result = sample_cli("digest", "send", "--dry-run", "--out", str(out), "--date", "2026-07-03")
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 already sent" in result.output
    (eml,) = out.glob("*.eml")
    assert b"To: hal@example.org" in eml.read_bytes()
    bad = sample_cli("digest", "subscribe", "--user", "nomail")  # a local user has no email
    assert bad.exit_code == 2 and "not an email address" in bad.output
    no_smtp = sample_cli("digest", "send", "--date", "2026-07-03")
    assert no_smtp.exit_code == 7 and "no SMTP server configured" in no_smtp.output
    assert "Traceback" not in no_smtp.output
    assert sample_cli("digest", "send", "--dry-run").exit_code == 2  # needs --out


def test_usage_errors_are_clear(sample_cli: Cli) -> None:
    result = sample_cli("recommend", "--user", "ivy", "--since", "yesterday")
    assert result.exit_code == 2 and "Traceback" not in result.output
    result = sample_cli("library", "rate", "--user", "ivy", "0000.00000", "up")
    assert result.exit_code == 5 and "no paper" in result.output
    result = sample_cli("library", "remove", "--user", "ivy", KV[0])
    assert result.exit_code == 5 and "not in ivy's library" in result.output
