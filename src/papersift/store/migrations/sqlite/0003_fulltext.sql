-- Full-text index over papers: title, authors (their JSON list, as text) and abstract.
-- External content: the text lives in papers only. The triggers below keep the index in step
-- with every update and delete; new papers are indexed by the store's add_papers in one
-- INSERT ... SELECT per batch, which costs a third of what a per-row insert trigger does
-- (measured with bench/ingest.py). Rebuildable at any time with
-- INSERT INTO papers_fts (papers_fts) VALUES ('rebuild') (needed after a VACUUM, which may
-- renumber the rowids of papers).
-- No stemming: with the porter stemmer, BM25 on CSFCube loses 0.031 MAP and hybrid search
-- 0.016 (bench/relevance.py --sweep); prefixes (transform*) reach other word forms.
CREATE VIRTUAL TABLE papers_fts USING fts5(
    title, authors, abstract,
    content = 'papers', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Papers stored before this migration.
INSERT INTO papers_fts (papers_fts) VALUES ('rebuild');

CREATE TRIGGER papers_fts_deleted AFTER DELETE ON papers BEGIN
    INSERT INTO papers_fts (papers_fts, rowid, title, authors, abstract)
    VALUES ('delete', old.rowid, old.title, old.authors, old.abstract);
END;

CREATE TRIGGER papers_fts_updated AFTER UPDATE OF title, authors, abstract ON papers
WHEN old.title IS NOT new.title OR old.authors IS NOT new.authors
    OR old.abstract IS NOT new.abstract
BEGIN
    INSERT INTO papers_fts (papers_fts, rowid, title, authors, abstract)
    VALUES ('delete', old.rowid, old.title, old.authors, old.abstract);
    INSERT INTO papers_fts (rowid, title, authors, abstract)
    VALUES (new.rowid, new.title, new.authors, new.abstract);
END;

-- Search filters read this index alone (covering): the published date (submission, else first
-- listing) for since/until, the categories and the id (submitted and first_listed too: SQLite
-- 3.40 counts an index as covering only if it holds every column the expression reads).
-- Reading it instead of the papers (whose rows carry whole abstracts) makes filtering 60k
-- papers several times faster.
CREATE INDEX papers_published ON papers (
    substr(coalesce(submitted, first_listed), 1, 10), categories, id, submitted, first_listed
);
