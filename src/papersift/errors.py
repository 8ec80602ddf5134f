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


class RequestTooLargeError(UsageError):
    """A request body (an upload, a form) is larger than the server accepts."""


class ForbiddenError(PapersiftError):
    """The caller may not do this (an admin action without the admin token …)."""

    exit_code = 2
