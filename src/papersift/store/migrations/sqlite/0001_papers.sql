-- Papers, the records every source gave of them, where each record was seen, and the keys that
-- tie records of one paper together.
CREATE TABLE papers (
    id            TEXT PRIMARY KEY,
    arxiv_id      TEXT UNIQUE,
    doi           TEXT,
    title         TEXT NOT NULL,
    title_raw     TEXT NOT NULL,
    abstract      TEXT NOT NULL,
    abstract_raw  TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    authors       TEXT NOT NULL,          -- JSON list of names, in order
    categories    TEXT NOT NULL,          -- JSON list, primary first
    primary_category TEXT,
    submitted     TEXT,
    updated       TEXT,
    first_listed  TEXT,
    listed        TEXT NOT NULL,          -- JSON list of YYYY-MM-DD
    versions      TEXT NOT NULL,          -- JSON list of [number, date, size]
    links         TEXT NOT NULL,          -- JSON object: abs, pdf, code, project
    comments      TEXT,
    journal_ref   TEXT,
    license       TEXT,
    upvotes       INTEGER,
    external_ids  TEXT NOT NULL,          -- JSON list of [kind, value]
    created_at    TEXT NOT NULL,
    modified_at   TEXT NOT NULL
);
CREATE INDEX papers_doi ON papers(doi) WHERE doi IS NOT NULL;
CREATE INDEX papers_first_listed ON papers(first_listed);

-- Every distinct record any source gave, kept whole: papers are rebuilt from these.
CREATE TABLE records (
    hash      TEXT PRIMARY KEY,
    paper_id  TEXT NOT NULL REFERENCES papers(id),
    source    TEXT NOT NULL,
    payload   TEXT NOT NULL               -- JSON of the record
);
CREATE INDEX records_paper ON records(paper_id);

-- Where and when each record was seen.
CREATE TABLE provenance (
    record_hash TEXT NOT NULL REFERENCES records(hash),
    origin      TEXT NOT NULL,
    ref         TEXT NOT NULL,
    seen_at     TEXT NOT NULL,
    PRIMARY KEY (record_hash, origin, ref)
) WITHOUT ROWID;

-- Identity keys (arxiv, doi, title, abstract, external ids) and aliases (kind 'id').
CREATE TABLE identifiers (
    kind      TEXT NOT NULL,
    value     TEXT NOT NULL,
    paper_id  TEXT NOT NULL,
    PRIMARY KEY (value, kind, paper_id)
) WITHOUT ROWID;

-- Change log: derived data (indexes, cards, topics) catches up from here.
CREATE TABLE changes (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    paper_id  TEXT NOT NULL,
    kind      TEXT NOT NULL,              -- upsert | delete
    at        TEXT NOT NULL
);

CREATE TRIGGER papers_inserted AFTER INSERT ON papers BEGIN
    INSERT INTO changes (paper_id, kind, at) VALUES (new.id, 'upsert', new.modified_at);
END;

CREATE TRIGGER papers_updated AFTER UPDATE ON papers BEGIN
    INSERT INTO changes (paper_id, kind, at) VALUES (new.id, 'upsert', new.modified_at);
END;

CREATE TRIGGER papers_deleted AFTER DELETE ON papers BEGIN
    INSERT INTO changes (paper_id, kind, at) VALUES (old.id, 'delete', datetime('now'));
END;
