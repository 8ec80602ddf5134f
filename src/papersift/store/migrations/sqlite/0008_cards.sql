-- System cards (papersift.understand): derived data, one per paper, written by `papersift cards`
-- (Radar.build_cards) or on demand (Radar.card), rebuildable from the papers at any time.
-- extractor:    what made the card, with its version ("rules-1"); another version rebuilds it
-- content_hash: of the title, abstract and code/project links it was made from
--               (papersift.understand.content_hash)
-- card:         JSON of the SystemCard
-- stale:        1 when the paper's title, abstract or links changed after the card was made
CREATE TABLE cards (
    paper_id     TEXT PRIMARY KEY,
    extractor    TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    card         TEXT NOT NULL,
    stale        INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL
);
CREATE INDEX cards_stale ON cards (paper_id) WHERE stale;

CREATE TRIGGER cards_text_changed AFTER UPDATE OF title_raw, abstract_raw, links ON papers
WHEN old.title_raw IS NOT new.title_raw OR old.abstract_raw IS NOT new.abstract_raw
    OR old.links IS NOT new.links
BEGIN
    UPDATE cards SET stale = 1 WHERE paper_id = new.id AND NOT stale;
END;

-- A deleted (or folded) paper takes its card with it.
CREATE TRIGGER cards_paper_deleted AFTER DELETE ON papers BEGIN
    DELETE FROM cards WHERE paper_id = old.id;
END;
