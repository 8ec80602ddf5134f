"""Security of accounts: hashed passwords, hashed tokens, rate limits, single-use resets."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from papersift.accounts import auth
from papersift.errors import AccountError, AuthenticationError, RateLimitedError
from papersift.radar import Radar
from tests.conftest import Cli, dump_store

PASSWORD = "correct horse battery staple"


def _everything(path: Path) -> str:
    return repr(dump_store(path))


def test_password_and_tokens_never_stored_in_clear(
    radar: Radar, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    accounts = radar.accounts()
    user = accounts.sign_up("Ada@Example.org", PASSWORD)
    assert user.email == "ada@example.org" and user.has_password
    signed = accounts.sign_in("ada@example.org", PASSWORD, client="127.0.0.1")
    reset = accounts.request_reset("ada@example.org")
    assert reset is not None
    stored = _everything(db_path)
    assert PASSWORD not in stored and signed.token not in stored and reset[1] not in stored
    assert "$argon2id$" in stored
    assert auth.token_hash(signed.token) in stored  # only the hash opens the session
    assert PASSWORD not in caplog.text and signed.token not in caplog.text
    assert accounts.session_user(signed.token) == user
    assert accounts.session_user(signed.token + "x") is None
    accounts.sign_out(signed.token)
    assert accounts.session_user(signed.token) is None


def test_cli_user_add_never_echoes_the_password(cli: Cli, db_path: Path) -> None:
    result = cli("user", "add", "bob@example.org", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output and PASSWORD not in _everything(db_path)
    short = cli("user", "add", "eve@example.org", "--password-stdin", input="short\n")
    assert short.exit_code == 2 and "at least 8" in short.output and "Traceback" not in short.output
    taken = cli("user", "add", "BOB@example.org", "--password-stdin", input=PASSWORD + "\n")
    assert taken.exit_code == 2 and "exists already" in taken.output


def test_wrong_passwords_are_rate_limited(radar: Radar) -> None:
    accounts = radar.accounts()
    accounts.sign_up("ada@example.org", PASSWORD)
    with pytest.raises(AuthenticationError, match="wrong email or password"):
        accounts.sign_in("nobody@example.org", PASSWORD)  # same words for an unknown email
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(AuthenticationError) as wrong:
            accounts.sign_in("ada@example.org", "not the password", client="10.0.0.1")
        assert not isinstance(wrong.value, RateLimitedError)
    with pytest.raises(RateLimitedError) as limited:  # even the right password now
        accounts.sign_in("ada@example.org", PASSWORD, client="10.0.0.2")
    assert 0 < limited.value.retry_after <= auth.WINDOW_MINUTES * 60 + 1
    # the window passes (failures age out): the right password works again
    with radar.store.atomic():
        db = radar.store._db  # type: ignore[attr-defined]
        db.execute("UPDATE login_failures SET at = '2000-01-01T00:00:00+00:00'")
    assert accounts.sign_in("ada@example.org", PASSWORD).user.email == "ada@example.org"


def test_many_emails_from_one_client_are_limited(radar: Radar) -> None:
    accounts = radar.accounts()
    for n in range(auth.MAX_FAILURES_PER_CLIENT):
        with pytest.raises(AuthenticationError):
            accounts.sign_in(f"user{n}@example.org", "whatever1", client="10.9.9.9")
    with pytest.raises(RateLimitedError):
        accounts.sign_in("another@example.org", "whatever1", client="10.9.9.9")


def test_reset_token_single_use_and_expiring(radar: Radar, db_path: Path) -> None:
    accounts = radar.accounts()
    accounts.sign_up("ada@example.org", PASSWORD)
    session = accounts.sign_in("ada@example.org", PASSWORD)
    assert accounts.request_reset("nobody@example.org") is None
    _, token = accounts.request_reset("ada@example.org") or (None, "")
    accounts.reset_password(token, "a new password!")
    assert accounts.session_user(session.token) is None  # every session ended
    with pytest.raises(AuthenticationError, match="invalid, used or expired"):
        accounts.reset_password(token, "yet another one")  # single use
    assert accounts.sign_in("ada@example.org", "a new password!").user.email == "ada@example.org"
    _, late = accounts.request_reset("ada@example.org") or (None, "")
    with sqlite3.connect(db_path) as db:  # its hour has passed
        db.execute("UPDATE password_resets SET expires_at = '2000-01-01T00:00:00+00:00'")
    with pytest.raises(AuthenticationError):
        accounts.reset_password(late, "too late for this")
    with pytest.raises(AccountError, match="at least 8"):
        accounts.reset_password("whatever", "short")


def test_signed_links_and_csrf_tokens() -> None:
    key = b"k" * 32
    sig = auth.sign(key, "unsubscribe", "7")
    assert auth.check_signature(key, "unsubscribe", "7", sig)
    assert not auth.check_signature(key, "unsubscribe", "8", sig)
    assert not auth.check_signature(b"other" * 8, "unsubscribe", "7", sig)
    assert auth.csrf_token(key, "session-a") != auth.csrf_token(key, "session-b")


def test_reset_emails_are_limited_per_account(radar: Radar) -> None:
    accounts = radar.accounts()
    accounts.sign_up("ada@example.org", PASSWORD)
    tokens = [accounts.request_reset("ada@example.org") for _ in range(auth.MAX_RESETS + 1)]
    assert all(tokens[: auth.MAX_RESETS]) and tokens[-1] is None
    accounts.reset_password(tokens[0][1], "a brand new one")  # type: ignore[index]
    with pytest.raises(AuthenticationError):
        accounts.reset_password(tokens[0][1], "again, no")  # type: ignore[index]
