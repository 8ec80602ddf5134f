-- System cards (papersift.understand): derived data, one per paper (as the SQLite migration of
-- the same name). stale: the paper's title, abstract or links changed after the card was made.
CREATE TABLE cards (
    paper_id     TEXT PRIMARY KEY,
    extractor    TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    card         TEXT NOT NULL,
    stale        BOOLEAN NOT NULL DEFAULT false,
    created_at   TEXT NOT NULL
);
CREATE INDEX cards_stale ON cards (paper_id) WHERE stale;

CREATE FUNCTION papersift_cards_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN  -- a deleted (or folded) paper takes its card with it
        DELETE FROM cards WHERE paper_id = OLD.id;
        RETURN OLD;
    END IF;
    IF OLD.title_raw IS DISTINCT FROM NEW.title_raw
       OR OLD.abstract_raw IS DISTINCT FROM NEW.abstract_raw
       OR OLD.links IS DISTINCT FROM NEW.links THEN
        UPDATE cards SET stale = true WHERE paper_id = NEW.id AND NOT stale;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER cards_follow AFTER UPDATE OR DELETE ON papers
FOR EACH ROW EXECUTE FUNCTION papersift_cards_follow();
