"""The one error tree. Every error a user can see is a :class:`PapersiftError`.

Driver errors are translated into these inside the store; the CLI maps them to exit codes
and the web layer to HTTP statuses, each in one place.
"""

from __future__ import annotations


class PapersiftError(Exception):
    """Base of every error papersift raises on purpose."""

    exit_code = 1

    @property
    def message(self) -> str:
        return str(self)


class ConfigError(PapersiftError):
    """A setting is missing or invalid."""

    exit_code = 2


class UsageError(PapersiftError):
    """An argument has a value papersift cannot use (a date, a mode, a negative limit …)."""

    exit_code = 2


class ModelUnavailableError(ConfigError):
    """The embedding model (its weights package or runtime) is not installed or unreadable."""


class StoreError(PapersiftError):
    """The store could not be opened or written."""

    exit_code = 4


class MigrationError(StoreError):
    """A schema migration failed or the store is newer than this papersift."""


class NotFoundError(PapersiftError):
    """Nothing is stored under the identifier asked for."""

    exit_code = 5

    def __init__(self, identifier: str) -> None:
        super().__init__(f"no paper with id {identifier!r}")
        self.identifier = identifier


class ParseError(PapersiftError):
    """An input could not be parsed. Carries where: the source name, and a line/record and field."""

    exit_code = 3

    def __init__(
        self,
        reason: str,
        *,
        source: str = "",
        where: str | None = None,
        field: str | None = None,
    ) -> None:
        self.reason = reason
        self.source = source
        self.where = where
        self.field = field
        super().__init__(self._format())

    def _format(self) -> str:
        parts = [p for p in (self.source, self.where) if p]
        location = ", ".join(parts)
        field = f" (field {self.field!r})" if self.field else ""
        return f"{location}: {self.reason}{field}" if location else f"{self.reason}{field}"

    def located(self, source: str) -> ParseError:
        """The same error, naming ``source`` if it did not name one yet."""
        if self.source:
            return self
        return ParseError(self.reason, source=source, where=self.where, field=self.field)


class NotAListingError(ParseError):
    """The input is readable but is not a paper listing papersift knows."""


class FetchError(PapersiftError):
    """A live source could not be reached or answered with an error."""

    exit_code = 6


# --- accounts (issue 5) -------------------------------------------------------------------------
class AccountError(PapersiftError):
    """Something about a user account is not right (taken name, weak password …)."""

    exit_code = 2


class UserNotFoundError(AccountError):
    """No such user (or not one this caller may see)."""

    exit_code = 5

    def __init__(self, name: str) -> None:
        super().__init__(f"no user {name!r}")
        self.name = name


class AuthenticationError(AccountError):
    """Wrong email or password, or a session or token that is not (or no longer) valid."""


class RateLimitedError(AuthenticationError):
    """Too many failed sign-ins: try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotInLibraryError(AccountError):
    """The paper is not in this user's library (or no such subscription of theirs)."""

    exit_code = 5


class DeliveryError(PapersiftError):
    """Mail could not be sent (SMTP refused, unreachable, or not configured)."""

    exit_code = 7


class RequestTooLargeError(UsageError):
    """A request body (an upload, a form) is larger than the server accepts."""


class ForbiddenError(PapersiftError):
    """The caller may not do this (an admin action without the admin token …)."""

    exit_code = 2


class TopicNotFoundError(NotFoundError):
    """No topic thread has the id asked for (threads are renumbered only by a full rebuild)."""

    def __init__(self, identifier: str) -> None:
        PapersiftError.__init__(self, f"no topic thread with id {identifier!r}")
        self.identifier = identifier


class TopicsUnavailableError(PapersiftError):
    """Topic threads cannot be built: no paper has an embedding yet."""
