"""The facade's store transfer: copy a store to another backend."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from papersift.errors import UsageError
from papersift.facade.base import FacadeBase
from papersift.store import open_store

if TYPE_CHECKING:
    from papersift.store.transfer import TransferReport


class TransferFacade(FacadeBase):
    """Moving a store between backends."""

    def migrate_to(
        self, target: str, *, progress: Callable[[str, int], None] | None = None
    ) -> TransferReport:
        """Copy this whole store - every table: papers, records, keys, state, embeddings … -
        into the empty store at ``target`` (a ``postgresql://`` URL, or a SQLite path), in one
        transaction, with every table's row count checked. ``progress`` gets (table, rows)."""
        from papersift.store.transfer import copy_store

        if str(target) == self.store.location:
            raise UsageError("the target is this store itself")
        home = self.settings.home if self.settings else None
        destination = open_store(target, home=home)
        try:
            return copy_store(self.store, destination, progress=progress)
        finally:
            destination.close()
