-- Full-text index over papers: title (weight A), authors (B) and abstract (C), as a tsvector
-- the store computes in Python (papersift.store.tsquery.document) with the tokenization the
-- SQLite FTS5 index uses (runs of letters and digits, case and accents folded, no stemming),
-- so the same query language finds the same papers on both backends. GIN-indexed.
ALTER TABLE papers ADD COLUMN search TSVECTOR NOT NULL DEFAULT ''::tsvector;
CREATE INDEX papers_search ON papers USING gin (search);

-- Search filters: the published date (submission, else first listing).
CREATE INDEX papers_published ON papers ((substr(coalesce(submitted, first_listed), 1, 10)), id);
