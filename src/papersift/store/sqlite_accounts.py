"""SQLite side of :class:`~papersift.store.accounts.AccountStore` (migration 0006_accounts):
what its SQL does differently from :class:`~papersift.store.accounts_sql.AccountsSQL`.

Every statement on a user's rows has ``user_id = ?`` in its WHERE clause.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from papersift.errors import AccountError
from papersift.model import User
from papersift.store.accounts_sql import AccountsSQL, _now
from papersift.store.dialect import SQLiteSQL


class AccountsSQLite(SQLiteSQL, AccountsSQL):
    """Mixed into :class:`~papersift.store.sqlite.SqliteStore`."""

    location: str

    def create_user(self, name: str, email: str | None, password_hash: str | None) -> User:
        name = name.strip().casefold()
        email = email.strip().casefold() if email else None
        try:
            user_id = self._q_insert(
                "INSERT INTO users (name, email, password_hash, created_at) VALUES (?, ?, ?, ?)",
                (name, email, password_hash, _now()),
            )
        except sqlite3.IntegrityError:
            raise AccountError(f"the name or email {email or name!r} is already taken") from None
        user = self.get_user(user_id)
        assert user is not None
        return user

    def _library_rows(self, user_id: int, paper_ids: Sequence[str] | None) -> list[Any]:
        sql = (
            "SELECT l.paper_id, l.saved, l.saved_at, l.rating, l.note, l.read_at, l.dismissed, "
            "l.updated_at, (SELECT json_group_array(tag) FROM (SELECT tag FROM library_tags t "
            "WHERE t.user_id = l.user_id AND t.paper_id = l.paper_id ORDER BY tag)) "
            "FROM library l WHERE l.user_id = ?"
        )
        if paper_ids is None:
            return self._q_all(sql + " ORDER BY l.updated_at DESC, l.paper_id", (user_id,))
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(paper_ids), 500):
            chunk = list(paper_ids[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            rows += self._q_all(f"{sql} AND l.paper_id IN ({marks})", (user_id, *chunk))
        rows.sort(key=lambda r: (r[7], r[0]), reverse=True)
        return rows

    def save_counts(self, paper_ids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(paper_ids), 500):
            chunk = list(paper_ids[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            found.update(
                self._q_all(
                    "SELECT paper_id, count(*) FROM library "
                    f"WHERE saved = 1 AND paper_id IN ({marks}) GROUP BY paper_id",
                    chunk,
                )
            )
        return found
