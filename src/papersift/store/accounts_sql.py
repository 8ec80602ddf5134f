""":class:`~papersift.store.accounts.AccountStore` written once for both backends (migration
0006_accounts), through the seam in :mod:`papersift.store.dialect`; each backend's mixin
(``sqlite_accounts``, ``postgres_accounts``) adds only what its SQL does differently.

Every statement on a user's rows has ``user_id = ?`` in its WHERE clause.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from papersift.model import DigestRecord, LibraryEntry, Subscription, User
from papersift.store.dialect import SQLSeam

_LIBRARY_COLUMNS = ("saved", "saved_at", "rating", "note", "read_at", "dismissed")
_SUBSCRIPTION_COLUMNS = ("email", "content", "query", "frequency", "size", "active")
_SUB = (
    "SELECT id, user_id, email, content, query, frequency, size, feed_token, active, created_at "
    "FROM subscriptions"
)
_DIGEST = (
    "SELECT subscription_id, period, status, papers, message_id, created_at, sent_at FROM digests"
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _user(row: tuple[Any, ...] | None) -> User | None:
    if row is None:
        return None
    return User(id=row[0], name=row[1], email=row[2], has_password=bool(row[3]), created_at=row[4])


def _sub(row: tuple[Any, ...]) -> Subscription:
    return Subscription(
        id=row[0],
        user_id=row[1],
        email=row[2],
        content=row[3],
        query=row[4],
        frequency=row[5],
        size=row[6],
        feed_token=row[7],
        active=bool(row[8]),
        created_at=row[9],
    )


def _digest(row: tuple[Any, ...]) -> DigestRecord:
    items = json.loads(row[3])  # [[paper id, reason], ...]
    return DigestRecord(
        row[0],
        row[1],
        row[2],
        tuple(i[0] for i in items),
        row[4],
        row[5],
        row[6],
        reasons=tuple(i[1] for i in items),
    )


def _flags(changes: dict[str, object]) -> list[object]:
    """Values as the integer columns keep them (a bool is 0 or 1)."""
    return [int(v) if isinstance(v, bool) else v for v in changes.values()]


class AccountsSQL(SQLSeam):
    """The statements both backends share; a backend adds ``create_user``, ``_library_rows``
    and ``save_counts``."""

    # --- users ----------------------------------------------------------------------------------
    _USER = "SELECT id, name, email, password_hash IS NOT NULL, created_at FROM users"

    def create_user(self, name: str, email: str | None, password_hash: str | None) -> User:
        raise NotImplementedError

    def _library_rows(self, user_id: int, paper_ids: Sequence[str] | None) -> list[Any]:
        """Rows of (paper_id, saved, saved_at, rating, note, read_at, dismissed, updated_at,
        tags as a JSON list), newest change first."""
        raise NotImplementedError

    def save_counts(self, paper_ids: Sequence[str]) -> dict[str, int]:
        raise NotImplementedError

    def get_user(self, user_id: int) -> User | None:
        return _user(self._q_one(f"{self._USER} WHERE id = ?", (user_id,)))

    def find_user(self, name_or_email: str) -> User | None:
        key = name_or_email.strip().casefold()
        row = self._q_one(
            f"{self._USER} WHERE name = ? OR email = ? ORDER BY name = ? DESC LIMIT 1",
            (key, key, key),
        )
        return _user(row)

    def password_hash(self, user_id: int) -> str | None:
        found = self._q_one("SELECT password_hash FROM users WHERE id = ?", (user_id,))
        return str(found[0]) if found and found[0] else None

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self._q_run("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id))

    def count_users(self) -> int:
        return int(self._q_one("SELECT count(*) FROM users")[0])

    # --- sessions, resets, failed sign-ins ------------------------------------------------------
    def add_session(self, user_id: int, token_hash: str, expires_at: str) -> None:
        self._q_run(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) "
            "VALUES (?, ?, ?, ?)",
            (token_hash, user_id, _now(), expires_at),
        )

    def session_user(self, token_hash: str, now: str) -> User | None:
        row = self._q_one(
            "SELECT u.id, u.name, u.email, u.password_hash IS NOT NULL, u.created_at "
            "FROM sessions s JOIN users u ON u.id = s.user_id "
            "WHERE s.token_hash = ? AND s.expires_at > ?",
            (token_hash, now),
        )
        return _user(row)

    def delete_session(self, token_hash: str) -> None:
        self._q_run("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))

    def delete_sessions(self, user_id: int) -> None:
        self._q_run("DELETE FROM sessions WHERE user_id = ?", (user_id,))

    def add_reset(self, user_id: int, token_hash: str, expires_at: str) -> None:
        self._q_run(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) "
            "VALUES (?, ?, ?, ?)",
            (token_hash, user_id, _now(), expires_at),
        )

    def use_reset(self, token_hash: str, now: str) -> int | None:
        row = self._q_one(  # one statement: two requests cannot both spend it
            "UPDATE password_resets SET used_at = ? "
            "WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id",
            (now, token_hash, now),
        )
        return int(row[0]) if row else None

    def add_login_failure(self, key: str, at: str) -> None:
        self._q_run("INSERT INTO login_failures (key, at) VALUES (?, ?)", (key, at))

    def login_failures(self, key: str, since: str) -> list[str]:
        return [
            r[0]
            for r in self._q_all(
                "SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at", (key, since)
            )
        ]

    def clear_login_failures(self, key: str) -> None:
        self._q_run("DELETE FROM login_failures WHERE key = ?", (key,))

    # --- library --------------------------------------------------------------------------------
    def library_update(self, user_id: int, paper_id: str, changes: dict[str, object]) -> None:
        unknown = set(changes) - set(_LIBRARY_COLUMNS)
        if unknown:
            raise ValueError(f"not library columns: {sorted(unknown)}")
        now = _now()
        self._q_run(
            "INSERT INTO library (user_id, paper_id, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (user_id, paper_id, now),
        )
        sets = "".join(f", {column} = ?" for column in changes)
        self._q_run(
            f"UPDATE library SET updated_at = ?{sets} WHERE user_id = ? AND paper_id = ?",
            (now, *_flags(changes), user_id, paper_id),
        )

    def library_entries(
        self, user_id: int, paper_ids: Sequence[str] | None = None
    ) -> list[LibraryEntry]:
        rows = self._library_rows(user_id, paper_ids)
        return [
            LibraryEntry(
                paper_id=r[0],
                saved=bool(r[1]),
                saved_at=r[2],
                rating=int(r[3]),
                note=r[4],
                read_at=r[5],
                dismissed=bool(r[6]),
                updated_at=r[7],
                tags=tuple(json.loads(r[8])),
            )
            for r in rows
        ]

    def library_remove(self, user_id: int, paper_id: str) -> bool:
        return (
            self._q_run(
                "DELETE FROM library WHERE user_id = ? AND paper_id = ?", (user_id, paper_id)
            )
            > 0
        )

    def library_tag(self, user_id: int, paper_id: str, tags: Iterable[str], *, add: bool) -> None:
        rows = [(user_id, paper_id, tag) for tag in tags]
        if add:
            self._q_many(
                "INSERT INTO library_tags (user_id, paper_id, tag) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                rows,
            )
        else:
            self._q_many(
                "DELETE FROM library_tags WHERE user_id = ? AND paper_id = ? AND tag = ?", rows
            )

    def get_prefs(self, user_id: int) -> str | None:
        found = self._q_one("SELECT prefs FROM user_prefs WHERE user_id = ?", (user_id,))
        return str(found[0]) if found else None

    def set_prefs(self, user_id: int, prefs: str) -> None:
        self._q_run(
            "INSERT INTO user_prefs (user_id, prefs, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET prefs = excluded.prefs, "
            "updated_at = excluded.updated_at",
            (user_id, prefs, _now()),
        )

    # --- subscriptions and the digest ledger ----------------------------------------------------
    def add_subscription(
        self,
        user_id: int,
        *,
        email: str,
        content: str,
        query: str,
        frequency: str,
        size: int,
        feed_token: str,
    ) -> Subscription:
        sub_id = self._q_insert(
            "INSERT INTO subscriptions (user_id, email, content, query, frequency, size, "
            "feed_token, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (user_id, email, content, query, frequency, size, feed_token, _now()),
        )
        return _sub(self._q_one(f"{_SUB} WHERE id = ?", (sub_id,)))

    def update_subscription(self, user_id: int, sub_id: int, changes: dict[str, object]) -> bool:
        unknown = set(changes) - set(_SUBSCRIPTION_COLUMNS)
        if unknown:
            raise ValueError(f"not subscription columns: {sorted(unknown)}")
        if not changes:
            return (
                self._q_one(
                    "SELECT 1 FROM subscriptions WHERE id = ? AND user_id = ?", (sub_id, user_id)
                )
                is not None
            )
        sets = ", ".join(f"{column} = ?" for column in changes)
        return (
            self._q_run(
                f"UPDATE subscriptions SET {sets} WHERE id = ? AND user_id = ?",
                (*_flags(changes), sub_id, user_id),
            )
            > 0
        )

    def subscriptions(self, user_id: int | None = None) -> list[Subscription]:
        if user_id is None:
            rows = self._q_all(f"{_SUB} WHERE active = 1 ORDER BY id")
        else:
            rows = self._q_all(f"{_SUB} WHERE user_id = ? ORDER BY id", (user_id,))
        return [_sub(r) for r in rows]

    def subscription_by_token(self, feed_token: str) -> Subscription | None:
        row = self._q_one(f"{_SUB} WHERE feed_token = ?", (feed_token,))
        return _sub(row) if row else None

    def subscription_by_id(self, sub_id: int) -> Subscription | None:
        row = self._q_one(f"{_SUB} WHERE id = ?", (sub_id,))
        return _sub(row) if row else None

    def digest(self, sub_id: int, period: str) -> DigestRecord | None:
        row = self._q_one(f"{_DIGEST} WHERE subscription_id = ? AND period = ?", (sub_id, period))
        return _digest(row) if row else None

    def digests(self, sub_id: int, limit: int = 20) -> list[DigestRecord]:
        rows = self._q_all(
            f"{_DIGEST} WHERE subscription_id = ? ORDER BY period DESC LIMIT ?",
            (sub_id, limit),
        )
        return [_digest(r) for r in rows]

    def reserve_digest(
        self,
        sub_id: int,
        period: str,
        papers: Sequence[tuple[str, str]],
        message_id: str,
        at: str,
    ) -> DigestRecord:
        existing = self.digest(sub_id, period)
        if existing is not None:
            return existing
        self._q_run(  # two senders at once: the second one's row gives way to the first's
            "INSERT INTO digests (subscription_id, period, status, papers, message_id, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                sub_id,
                period,
                "pending" if papers else "empty",
                json.dumps([list(p) for p in papers], ensure_ascii=False),
                message_id,
                at,
            ),
        )
        self._q_many(
            "INSERT INTO digest_papers (subscription_id, paper_id, period) "
            "VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(sub_id, pid, period) for pid, _ in papers],
        )
        found = self.digest(sub_id, period)
        assert found is not None
        return found

    def finish_digest(self, sub_id: int, period: str, status: str, at: str) -> None:
        self._q_run(
            "UPDATE digests SET status = ?, sent_at = ? WHERE subscription_id = ? AND period = ?",
            (status, at, sub_id, period),
        )

    def delivered(self, sub_id: int) -> set[str]:
        return {
            r[0]
            for r in self._q_all(
                "SELECT paper_id FROM digest_papers WHERE subscription_id = ?", (sub_id,)
            )
        }
