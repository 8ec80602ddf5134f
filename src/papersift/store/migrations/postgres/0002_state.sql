-- Small named state that jobs resume from (fetch cursors, resumption tokens).
CREATE TABLE state (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
