-- Day listings: which paper appeared on which day, with the upvotes and published date the
-- Today page ranks by (as the SQLite migration of the same name). Derived from papers.listed
-- (a JSON list of YYYY-MM-DD) and kept in step by the trigger below.
CREATE TABLE paper_days (
    day       TEXT NOT NULL,               -- YYYY-MM-DD
    paper_id  TEXT NOT NULL,
    upvotes   INTEGER,
    published TEXT,                        -- substr(coalesce(submitted, first_listed), 1, 19)
    PRIMARY KEY (day, paper_id)
);
CREATE INDEX paper_days_paper ON paper_days (paper_id);

CREATE FUNCTION papersift_paper_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM paper_days WHERE paper_id = OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO paper_days (day, paper_id, upvotes, published)
        SELECT substr(j #>> '{}', 1, 10), NEW.id, NEW.upvotes,
               substr(coalesce(NEW.submitted, NEW.first_listed), 1, 19)
        FROM jsonb_array_elements(NEW.listed::jsonb) j WHERE jsonb_typeof(j) = 'string'
        ON CONFLICT DO NOTHING;
        RETURN NEW;
    END IF;
    RETURN OLD;
END $$;

CREATE TRIGGER paper_days_inserted AFTER INSERT OR DELETE ON papers
FOR EACH ROW EXECUTE FUNCTION papersift_paper_days();

CREATE TRIGGER paper_days_updated AFTER UPDATE OF listed, upvotes, submitted, first_listed
ON papers FOR EACH ROW
WHEN (OLD.listed IS DISTINCT FROM NEW.listed OR OLD.upvotes IS DISTINCT FROM NEW.upvotes
      OR OLD.submitted IS DISTINCT FROM NEW.submitted
      OR OLD.first_listed IS DISTINCT FROM NEW.first_listed)
EXECUTE FUNCTION papersift_paper_days();

-- Papers stored before this migration.
INSERT INTO paper_days (day, paper_id, upvotes, published)
SELECT substr(j #>> '{}', 1, 10), p.id, p.upvotes,
       substr(coalesce(p.submitted, p.first_listed), 1, 19)
FROM papers p, jsonb_array_elements(p.listed::jsonb) j WHERE jsonb_typeof(j) = 'string'
ON CONFLICT DO NOTHING;
