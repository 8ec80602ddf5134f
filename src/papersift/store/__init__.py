"""The store: a protocol and its implementations. Choose one with :func:`open_store`."""

from __future__ import annotations

from pathlib import Path

from papersift.store.protocol import Store


def open_store(target: str | Path, *, home: Path | None = None) -> Store:
    """Open (creating and migrating if needed) the store at ``target``: a SQLite file path, or
    a ``postgresql://`` URL. ``home`` is where a server store keeps derived files (vectors)."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        from papersift.store.postgres import PostgresStore

        return PostgresStore(text, home=home)
    from papersift.store.sqlite import SqliteStore

    return SqliteStore(Path(text))


__all__ = ["Store", "open_store"]
