"""Embed the bundled sample and save its vectors beside it (src/papersift/sample/embeddings.npz).

`papersift demo` stores these for the sample's papers (after checking the model id and each
paper's content hash), so search by meaning works on the sample at once. Run again whenever the
sample or the embedding model changes:

    .venv/bin/python bench/make_sample_vectors.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from papersift.config import Settings
from papersift.radar import SAMPLE_DIR, Radar
from papersift.search.indexing import save_vectors


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        with Radar.open(Settings(home=home, db=str(home / "sample.sqlite3"))) as radar:
            target = SAMPLE_DIR / "embeddings.npz"
            target.unlink(missing_ok=True)  # embed everything afresh
            radar.load_sample()
            report = radar.index()
            count = save_vectors(radar.store, report.model, target)
    print(f"{count} vectors of {report.model} -> {target} ({target.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
