"""Understanding papers: system cards (what a paper proposes, on what, beating what, by how
much, with code where), derived from the title and abstract.

An :class:`Extractor` turns a title and an abstract into a :class:`~papersift.model.SystemCard`.
The default, :class:`~papersift.understand.rules.RuleExtractor`, works offline; another backend
(an LLM, say) only has to provide ``version`` and ``extract``. Cards are stamped with the
extractor's version, so changing it rebuilds them (``papersift cards``).
"""

from __future__ import annotations

import hashlib
from typing import Protocol

from papersift.model import Links, SystemCard


class Extractor(Protocol):
    """Makes system cards. ``version`` names the extractor and its revision ("rules-1")."""

    @property
    def version(self) -> str: ...

    def extract(self, title: str, abstract: str) -> SystemCard: ...


def default_extractor() -> Extractor:
    from papersift.understand.rules import RuleExtractor

    return RuleExtractor()


def content_hash(title: str, abstract: str, links: Links | None = None) -> str:
    """The hash of what a card is made from (a card whose hash differs is stale)."""
    parts = [title, abstract]
    if links is not None:
        parts += [links.code or "", links.project or ""]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def make_card(
    extractor: Extractor, paper_id: str, title: str, abstract: str, links: Links | None = None
) -> SystemCard:
    """``extractor``'s card for a paper, stamped with its id, version and content hash; the
    code and project links its sources gave are added to the URLs the abstract has."""
    from dataclasses import replace

    card = extractor.extract(title, abstract)
    code_urls = list(card.code_urls)
    project_urls = list(card.project_urls)
    if links is not None:
        for url, is_project in ((links.code, False), (links.project, True)):
            if url and url.rstrip("/") not in {u.rstrip("/") for u in code_urls}:
                code_urls.append(url)
                if is_project:
                    project_urls.append(url)
    return replace(
        card,
        paper_id=paper_id,
        extractor=extractor.version,
        content_hash=content_hash(title, abstract, links),
        code_urls=tuple(code_urls),
        project_urls=tuple(project_urls),
    )


__all__ = ["Extractor", "content_hash", "default_extractor", "make_card"]
