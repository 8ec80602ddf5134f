"""PostgreSQL side of :class:`~papersift.store.accounts.AccountStore` (migration 0006_accounts):
what its SQL does differently from :class:`~papersift.store.accounts_sql.AccountsSQL`.
Every statement on a user's rows names ``user_id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from papersift.errors import AccountError
from papersift.model import User
from papersift.store.accounts_sql import AccountsSQL, _now
from papersift.store.dialect import PostgresSQL


class AccountsPostgres(PostgresSQL, AccountsSQL):
    """Mixed into :class:`~papersift.store.postgres.PostgresStore`."""

    def create_user(self, name: str, email: str | None, password_hash: str | None) -> User:
        import psycopg

        name = name.strip().casefold()
        email = email.strip().casefold() if email else None
        with self._conn() as db:
            try:
                with db.transaction():  # a savepoint inside a caller's transaction
                    row = db.execute(
                        "INSERT INTO users (name, email, password_hash, created_at) "
                        "VALUES (%s, %s, %s, %s) RETURNING id",
                        (name, email, password_hash, _now()),
                    ).fetchone()
            except psycopg.errors.UniqueViolation:
                raise AccountError(
                    f"the name or email {email or name!r} is already taken"
                ) from None
        assert row is not None
        user = self.get_user(int(row[0]))
        assert user is not None
        return user

    def _library_rows(self, user_id: int, paper_ids: Sequence[str] | None) -> list[Any]:
        sql = (
            "SELECT l.paper_id, l.saved, l.saved_at, l.rating, l.note, l.read_at, l.dismissed, "
            "l.updated_at, (SELECT coalesce(json_agg(tag ORDER BY tag), '[]')::text "
            "FROM library_tags t WHERE t.user_id = l.user_id AND t.paper_id = l.paper_id) "
            "FROM library l WHERE l.user_id = %s"
        )
        if paper_ids is None:
            return self._all(sql + " ORDER BY l.updated_at DESC, l.paper_id", (user_id,))
        return self._all(
            sql + " AND l.paper_id = ANY(%s) ORDER BY l.updated_at DESC, l.paper_id DESC",
            (user_id, list(paper_ids)),
        )

    def save_counts(self, paper_ids: Sequence[str]) -> dict[str, int]:
        if not paper_ids:
            return {}
        rows = self._all(
            "SELECT paper_id, count(*) FROM library WHERE saved = 1 AND paper_id = ANY(%s) "
            "GROUP BY paper_id",
            (list(paper_ids),),
        )
        return {pid: int(n) for pid, n in rows}
