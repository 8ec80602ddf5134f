-- Sentence embeddings of papers, one per paper and model: derived data, written by
-- `papersift index` (Radar.index) and rebuildable from the papers at any time.
-- model:        what made the vector: model name, weights revision and runtime
--               (papersift.search.embed.Encoder.model_id)
-- content_hash: sha256 of the text that was embedded (papersift.search.embed.paper_text)
-- vector:       float32, little-endian, L2-normalized
-- stale:        1 when the paper's title or abstract changed after the vector was made; the old
--               vector still serves searches until `papersift index` replaces it
-- seq:          grows with every vector written, so a reader catches up with seq > last seen
CREATE TABLE embeddings (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    paper_id     TEXT NOT NULL,
    model        TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    vector       BLOB NOT NULL,
    stale        INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    UNIQUE (paper_id, model)
);
CREATE INDEX embeddings_model ON embeddings (model, seq);
CREATE INDEX embeddings_stale ON embeddings (model, paper_id) WHERE stale;

-- paper_text reads the title and the abstract: a change to either makes the vectors stale.
CREATE TRIGGER embeddings_text_changed AFTER UPDATE OF title, abstract ON papers
WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract
BEGIN
    UPDATE embeddings SET stale = 1 WHERE paper_id = new.id AND NOT stale;
END;

-- A deleted (or folded) paper takes its vectors with it; readers learn it from `changes`.
CREATE TRIGGER embeddings_paper_deleted AFTER DELETE ON papers BEGIN
    DELETE FROM embeddings WHERE paper_id = old.id;
END;
