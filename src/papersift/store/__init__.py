"""The store: a protocol and its implementations. Choose one with :func:`open_store`."""

from __future__ import annotations

from pathlib import Path

from papersift.store.protocol import Store


def open_store(target: str | Path) -> Store:
    """Open (creating and migrating if needed) the store at ``target``: a SQLite file path."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        from papersift.errors import ConfigError

        raise ConfigError("the PostgreSQL backend is not available yet; use a SQLite path")
    from papersift.store.sqlite import SqliteStore

    return SqliteStore(Path(text))


__all__ = ["Store", "open_store"]
