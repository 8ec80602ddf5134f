-- Topic threads: derived data, written by `papersift topics` (Radar.build_topics) from the
-- papers' embeddings, and rebuildable at any time (`papersift topics --rebuild`).
--
-- topic_build:  the one current build. version names what made it (algorithm version, embedding
--               model, number of threads asked for); embedding_seq is the last embeddings.seq it
--               took in, so new and re-embedded papers join threads incrementally after it.
-- topics:       one row per thread: readable label and its distinctive phrases (JSON list), the
--               unit centroid (float32, little-endian), where the thread sits on the 2-D map
--               (x, y), how far its papers spread around it (spread), and the thread's local map
--               axes (basis: 2 x dim float32) with the scale of projections on them (scale).
-- paper_topics: each paper's thread, its cosine to the thread's centroid, its map position,
--               and whether it joined after the full build (joined = 1).
CREATE TABLE topic_build (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    version       TEXT NOT NULL,
    model         TEXT NOT NULL,
    embedding_seq INTEGER NOT NULL,
    built_at      TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE topics (
    id        INTEGER PRIMARY KEY,
    label     TEXT NOT NULL,
    phrases   TEXT NOT NULL,
    centroid  BLOB NOT NULL,
    x         REAL NOT NULL,
    y         REAL NOT NULL,
    spread    REAL NOT NULL,
    basis     BLOB NOT NULL,
    scale     REAL NOT NULL
);

CREATE TABLE paper_topics (
    paper_id   TEXT PRIMARY KEY,
    topic      INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    similarity REAL NOT NULL,
    x          REAL NOT NULL,
    y          REAL NOT NULL,
    joined     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX paper_topics_topic ON paper_topics (topic, similarity);

-- A deleted (or folded) paper leaves its thread with it.
CREATE TRIGGER paper_topics_paper_deleted AFTER DELETE ON papers BEGIN
    DELETE FROM paper_topics WHERE paper_id = old.id;
END;
