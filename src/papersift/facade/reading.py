"""The facade's reading: papers by id, all papers, exports, store statistics."""

from __future__ import annotations

import heapq
from collections.abc import Iterator

from papersift.errors import NotFoundError
from papersift.facade.base import FacadeBase
from papersift.model import Paper
from papersift.sources import ids


class ReadingFacade(FacadeBase):
    """Read papers from the store."""

    def get(self, identifier: str) -> Paper:
        """A paper by its id, arXiv id (any spelling), DOI or former id."""
        candidates = [identifier.strip()]
        arxiv = ids.normalize_arxiv_id(identifier)
        if arxiv:
            candidates.append(arxiv)
        doi = ids.normalize_doi(identifier)
        if doi:
            candidates.append(doi)
        for candidate in candidates:
            paper_id = self.store.resolve(candidate)
            if paper_id:
                paper = self.store.get(paper_id)
                if paper:
                    return paper
        raise NotFoundError(identifier)

    def papers(self) -> Iterator[Paper]:
        return self.store.iter_papers()

    def most_upvoted(self, limit: int = 10) -> list[Paper]:
        """The papers with the most upvotes (the more recent first among equals)."""
        voted = (p for p in self.store.iter_papers() if p.upvotes is not None)
        return heapq.nlargest(limit, voted, key=lambda p: (p.upvotes or 0, p.published or "", p.id))

    def export(self, fmt: str) -> Iterator[str]:
        """Every paper as ``jsonl``, ``csv`` or ``bibtex`` text, streamed."""
        from papersift.deliver.export import export

        return export(self.store.iter_papers(), fmt)

    def stats(self) -> dict[str, object]:
        return {"store": self.store.location, **self.store.stats()}
