-- Day listings: which paper appeared on which day (an arXiv announcement, a Hugging Face daily
-- list …), with the two facts the Today page ranks by: upvotes and the published date.
-- Derived from papers.listed (a JSON list of YYYY-MM-DD) and kept in step by the triggers below,
-- so every writer of papers keeps it right without knowing about it. Rebuildable at any time:
-- DELETE FROM paper_days; then the INSERT ... SELECT at the end of this file.
CREATE TABLE paper_days (
    day       TEXT NOT NULL,               -- YYYY-MM-DD
    paper_id  TEXT NOT NULL,
    upvotes   INTEGER,                     -- papers.upvotes (NULL: the sources have no votes)
    published TEXT,                        -- substr(coalesce(submitted, first_listed), 1, 19)
    PRIMARY KEY (day, paper_id)
) WITHOUT ROWID;
CREATE INDEX paper_days_paper ON paper_days (paper_id);

CREATE TRIGGER paper_days_inserted AFTER INSERT ON papers BEGIN
    INSERT OR IGNORE INTO paper_days (day, paper_id, upvotes, published)
    SELECT substr(j.value, 1, 10), new.id, new.upvotes,
           substr(coalesce(new.submitted, new.first_listed), 1, 19)
    FROM json_each(new.listed) j WHERE j.type = 'text';
END;

CREATE TRIGGER paper_days_updated AFTER UPDATE OF listed, upvotes, submitted, first_listed ON papers
WHEN old.listed IS NOT new.listed OR old.upvotes IS NOT new.upvotes
    OR old.submitted IS NOT new.submitted OR old.first_listed IS NOT new.first_listed
BEGIN
    DELETE FROM paper_days WHERE paper_id = old.id;
    INSERT OR IGNORE INTO paper_days (day, paper_id, upvotes, published)
    SELECT substr(j.value, 1, 10), new.id, new.upvotes,
           substr(coalesce(new.submitted, new.first_listed), 1, 19)
    FROM json_each(new.listed) j WHERE j.type = 'text';
END;

CREATE TRIGGER paper_days_deleted AFTER DELETE ON papers BEGIN
    DELETE FROM paper_days WHERE paper_id = old.id;
END;

-- Papers stored before this migration.
INSERT OR IGNORE INTO paper_days (day, paper_id, upvotes, published)
SELECT substr(j.value, 1, 10), p.id, p.upvotes,
       substr(coalesce(p.submitted, p.first_listed), 1, 19)
FROM papers p, json_each(p.listed) j WHERE j.type = 'text';
