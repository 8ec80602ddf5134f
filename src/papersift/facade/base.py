"""What every part of the facade shares: the store, the settings, and links to its pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from papersift.config import Settings
from papersift.store import Store

if TYPE_CHECKING:
    from papersift.model import Subscription


class FacadeBase:
    """The state the facade's mixins use: :class:`papersift.radar.Radar` sets it."""

    store: Store
    settings: Settings | None

    def _base_url(self) -> str:
        base = self.settings.base_url if self.settings else "http://127.0.0.1:8000"
        return base.rstrip("/")

    def feed_url(self, sub: Subscription) -> str:
        return f"{self._base_url()}/feeds/{sub.feed_token}.atom"

    def paper_url(self, paper_id: str) -> str:
        return f"{self._base_url()}/papers/{paper_id}"
