-- Topic threads: derived data, written by `papersift topics` from the papers' embeddings and
-- rebuildable at any time (as the SQLite migration of the same name).
CREATE TABLE topic_build (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    version       TEXT NOT NULL,
    model         TEXT NOT NULL,
    embedding_seq BIGINT NOT NULL,
    built_at      TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE topics (
    id        INTEGER PRIMARY KEY,
    label     TEXT NOT NULL,
    phrases   TEXT NOT NULL,
    centroid  BYTEA NOT NULL,
    x         DOUBLE PRECISION NOT NULL,
    y         DOUBLE PRECISION NOT NULL,
    spread    DOUBLE PRECISION NOT NULL,
    basis     BYTEA NOT NULL,
    scale     DOUBLE PRECISION NOT NULL
);

CREATE TABLE paper_topics (
    paper_id   TEXT PRIMARY KEY,
    topic      INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    similarity DOUBLE PRECISION NOT NULL,
    x          DOUBLE PRECISION NOT NULL,
    y          DOUBLE PRECISION NOT NULL,
    joined     BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX paper_topics_topic ON paper_topics (topic, similarity);

-- A deleted (or folded) paper leaves its thread with it.
CREATE FUNCTION papersift_paper_topics_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM paper_topics WHERE paper_id = OLD.id;
    RETURN OLD;
END $$;

CREATE TRIGGER paper_topics_paper_deleted AFTER DELETE ON papers
FOR EACH ROW EXECUTE FUNCTION papersift_paper_topics_follow();
