"""What a store provides for accounts, libraries and digests (issue 5).

Every call about a user's data takes the ``user_id``: a library row, a tag, a subscription or
a digest is only ever read or changed through its owner, so guessing another id reaches
nothing. Times are ISO 8601 UTC strings. Tokens arrive already hashed: the store never sees a
secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from papersift.model import DigestRecord, LibraryEntry, Subscription, User


class AccountStore(Protocol):
    # --- users ----------------------------------------------------------------------------------
    def create_user(self, name: str, email: str | None, password_hash: str | None) -> User:
        """A new user; :class:`~papersift.errors.AccountError` if the name or email is taken."""
        ...

    def get_user(self, user_id: int) -> User | None: ...

    def find_user(self, name_or_email: str) -> User | None:
        """The user with this (casefolded) name or email."""
        ...

    def password_hash(self, user_id: int) -> str | None: ...

    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...

    def count_users(self) -> int: ...

    # --- sessions, resets, failed sign-ins ------------------------------------------------------
    def add_session(self, user_id: int, token_hash: str, expires_at: str) -> None: ...

    def session_user(self, token_hash: str, now: str) -> User | None:
        """The user of an unexpired session."""
        ...

    def delete_session(self, token_hash: str) -> None: ...

    def delete_sessions(self, user_id: int) -> None:
        """End every session of a user (after a password change)."""
        ...

    def add_reset(self, user_id: int, token_hash: str, expires_at: str) -> None: ...

    def use_reset(self, token_hash: str, now: str) -> int | None:
        """Spend a reset token: its user if unused and unexpired (it is then used), else None."""
        ...

    def add_login_failure(self, key: str, at: str) -> None: ...

    def login_failures(self, key: str, since: str) -> list[str]:
        """When each failed sign-in under ``key`` since ``since`` happened, oldest first."""
        ...

    def clear_login_failures(self, key: str) -> None: ...

    # --- library --------------------------------------------------------------------------------
    def library_update(self, user_id: int, paper_id: str, changes: dict[str, object]) -> None:
        """Create or change the user's row for a paper. ``changes`` names columns: saved,
        saved_at, rating, note, read_at, dismissed."""
        ...

    def library_entries(
        self, user_id: int, paper_ids: Sequence[str] | None = None
    ) -> list[LibraryEntry]:
        """The user's rows (of ``paper_ids`` only, if given), most recently changed first."""
        ...

    def library_remove(self, user_id: int, paper_id: str) -> bool:
        """Forget everything the user did with a paper; False if there was nothing."""
        ...

    def library_tag(self, user_id: int, paper_id: str, tags: Iterable[str], *, add: bool) -> None:
        """Add (or remove) tags on a paper the user has a row for."""
        ...

    def save_counts(self, paper_ids: Sequence[str]) -> dict[str, int]:
        """How many users saved each paper (papers nobody saved are left out)."""
        ...

    def get_prefs(self, user_id: int) -> str | None:
        """The user's preferences, as stored (JSON)."""
        ...

    def set_prefs(self, user_id: int, prefs: str) -> None: ...

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
    ) -> Subscription: ...

    def update_subscription(self, user_id: int, sub_id: int, changes: dict[str, object]) -> bool:
        """Change columns (email, content, query, frequency, size, active) of the user's
        subscription; False if they have none with this id."""
        ...

    def subscriptions(self, user_id: int | None = None) -> list[Subscription]:
        """The user's subscriptions; with no user, every active one (for the sender)."""
        ...

    def subscription_by_token(self, feed_token: str) -> Subscription | None: ...

    def subscription_by_id(self, sub_id: int) -> Subscription | None:
        """For signed links only (unsubscribe): the caller has checked the signature."""
        ...

    def digest(self, sub_id: int, period: str) -> DigestRecord | None: ...

    def digests(self, sub_id: int, limit: int = 20) -> list[DigestRecord]:
        """The subscription's ledger, newest period first."""
        ...

    def reserve_digest(
        self,
        sub_id: int,
        period: str,
        papers: Sequence[tuple[str, str]],
        message_id: str,
        at: str,
    ) -> DigestRecord:
        """Write a pending ledger row of ``(paper id, reason)`` and mark its papers delivered
        (in the caller's transaction). An existing row for the period is returned unchanged;
        with no papers the row is "empty" (nothing to send)."""
        ...

    def finish_digest(self, sub_id: int, period: str, status: str, at: str) -> None: ...

    def delivered(self, sub_id: int) -> set[str]:
        """Every paper this subscription has sent or reserved."""
        ...
