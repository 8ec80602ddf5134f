"""The facade's ingest: files, folders, stdin and the bundled sample."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from papersift.errors import PapersiftError
from papersift.facade.topics import TopicsFacade
from papersift.model import FileReport
from papersift.sources.base import Input

SAMPLE_DIR = Path(__file__).parent.parent / "sample"  # shipped with the package; see its NOTICE


class IngestFacade(TopicsFacade):
    """Ingest inputs into the store; load the bundled sample."""

    def ingest(
        self,
        inputs: Iterable[Input],
        *,
        format: str | None = None,
        progress: Callable[[str, int, float | None], None] | None = None,
    ) -> Iterator[FileReport]:
        """Ingest each input atomically; yields one report per input as it finishes."""
        from papersift.sources.detect import get_format
        from papersift.sources.ingest import ingest_input

        fmt = get_format(format) if format else None
        for source in inputs:
            yield ingest_input(self.store, source, fmt=fmt, progress=progress)

    def load_sample(
        self, *, progress: Callable[[str, int, float | None], None] | None = None
    ) -> list[FileReport]:
        """Ingest the sample bundled with papersift: recent arXiv papers and the Hugging Face
        daily papers of the same days. No network; loading it again changes nothing."""
        files = sorted(SAMPLE_DIR.glob("*.gz"))
        if not files:
            raise PapersiftError(f"the bundled sample is missing (no data files in {SAMPLE_DIR})")
        reports = list(self.ingest((Input.from_path(p) for p in files), progress=progress))
        self._load_sample_vectors()
        self.build_cards()  # a second or two: the sample's pages show their cards at once
        self._build_sample_topics()
        return reports

    def _build_sample_topics(self) -> None:
        """Threads and the map for the sample (under a second), so its pages show them at once.
        Without the model or the vectors: nothing to do."""
        from papersift.errors import ModelUnavailableError, TopicsUnavailableError

        try:
            self.build_topics()
        except (ModelUnavailableError, TopicsUnavailableError):
            return

    def _load_sample_vectors(self) -> int:
        """The sample's papers come with their vectors (made by the same model; checked), so
        search by meaning works on it at once. Without the model: nothing to do."""
        from papersift.errors import ModelUnavailableError
        from papersift.search.indexing import load_vectors

        path = SAMPLE_DIR / "embeddings.npz"
        try:
            model = self.embeddings().model_id
        except ModelUnavailableError:
            return 0
        return load_vectors(self.store, model, path) if path.exists() else 0

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
