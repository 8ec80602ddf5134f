"""Radar: the one facade. Every interface (CLI, web, API, jobs) is a thin client of it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Self

from papersift.config import Settings
from papersift.errors import NotFoundError
from papersift.model import FileReport, Paper
from papersift.sources import ids
from papersift.sources.base import Input
from papersift.store import Store, open_store


class Radar:
    """Owns a store and wires the engines together."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings

    @classmethod
    def open(cls, settings: Settings) -> Self:
        return cls(open_store(settings.db), settings)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- ingest ---------------------------------------------------------------------------------
    def ingest(
        self,
        inputs: Iterable[Input],
        *,
        format: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[FileReport]:
        """Ingest each input atomically; yields one report per input as it finishes."""
        from papersift.sources.detect import get_format
        from papersift.sources.ingest import ingest_input

        fmt = get_format(format) if format else None
        for source in inputs:
            yield ingest_input(self.store, source, fmt=fmt, progress=progress)

    @staticmethod
    def inputs(paths: Iterable[str]) -> Iterator[Input]:
        """Inputs for command-line paths: files, folders (walked, sorted), ``-`` for stdin."""
        for text in paths:
            if text == "-":
                yield Input.from_stdin()
                continue
            path = Path(text)
            if path.is_dir():
                for child in sorted(p for p in path.rglob("*") if p.is_file()):
                    if not any(part.startswith(".") for part in child.relative_to(path).parts):
                        yield Input.from_path(child)
            else:
                yield Input.from_path(path)

    # --- reading --------------------------------------------------------------------------------
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

    def export(self, fmt: str) -> Iterator[str]:
        """Every paper as ``jsonl``, ``csv`` or ``bibtex`` text, streamed."""
        from papersift.deliver.export import export

        return export(self.store.iter_papers(), fmt)

    def stats(self) -> dict[str, object]:
        return {"store": self.store.location, **self.store.stats()}
