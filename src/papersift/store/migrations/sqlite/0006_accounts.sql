-- Accounts (issue 5): users, sessions, password resets, sign-in attempts; each user's library,
-- tags and preferences; digest subscriptions, the ledger of digests sent, and the papers each
-- subscription has delivered (never twice). Every row below a user carries user_id, and every
-- query the store runs on them names it: no user reaches another's rows by guessing an id.
-- Secrets are never stored: passwords as argon2id hashes, tokens (sessions, resets) as sha256.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,      -- casefolded: an email, or a local handle ("me")
    email         TEXT UNIQUE,               -- where digests and resets go (casefolded)
    password_hash TEXT,                      -- argon2id; NULL: a local user without a password
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,            -- sha256 of the cookie's token
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE password_resets (
    token_hash  TEXT PRIMARY KEY,            -- sha256 of the emailed token
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT                         -- single use: set when spent
);

-- Failed sign-ins, by key ("email:..." and "ip:..."): the rate limiter counts recent ones.
CREATE TABLE login_failures (
    key  TEXT NOT NULL,
    at   TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);

-- One row per (user, paper) the user did anything with.
CREATE TABLE library (
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    paper_id    TEXT NOT NULL,
    saved       INTEGER NOT NULL DEFAULT 0,  -- in the library
    saved_at    TEXT,
    rating      INTEGER NOT NULL DEFAULT 0,  -- +1, -1, 0
    note        TEXT NOT NULL DEFAULT '',
    read_at     TEXT,                        -- marked read
    dismissed   INTEGER NOT NULL DEFAULT 0,  -- "not interested"
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, paper_id)
) WITHOUT ROWID;

CREATE TABLE library_tags (
    user_id   INTEGER NOT NULL,
    paper_id  TEXT NOT NULL,
    tag       TEXT NOT NULL,
    PRIMARY KEY (user_id, paper_id, tag),
    FOREIGN KEY (user_id, paper_id) REFERENCES library (user_id, paper_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Recommendation preferences: JSON lists of keywords, categories, cold-start topics.
CREATE TABLE user_prefs (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    prefs       TEXT NOT NULL,               -- JSON object
    updated_at  TEXT NOT NULL
);

CREATE TABLE subscriptions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    content     TEXT NOT NULL,               -- recommend | search | topic | trending
    query       TEXT NOT NULL DEFAULT '',    -- the saved search or topic
    frequency   TEXT NOT NULL,               -- daily | weekly
    size        INTEGER NOT NULL,            -- top N papers
    feed_token  TEXT NOT NULL UNIQUE,        -- random: the Atom feed's unguessable URL
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL
);
CREATE INDEX subscriptions_user ON subscriptions (user_id);

-- The ledger: one row per subscription and period. 'pending' rows are composed (their papers
-- chosen and reserved) but not known to be sent; 'sent' rows are done and never sent again.
CREATE TABLE digests (
    subscription_id  INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    period           TEXT NOT NULL,          -- 2026-12-05 (daily) or 2026-W49 (weekly)
    status           TEXT NOT NULL,          -- pending | sent | empty
    papers           TEXT NOT NULL,          -- JSON list of paper ids, in order
    message_id       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    PRIMARY KEY (subscription_id, period)
) WITHOUT ROWID;

-- Every paper a subscription has delivered (or reserved for a pending digest): never repeated.
CREATE TABLE digest_papers (
    subscription_id  INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    paper_id         TEXT NOT NULL,
    period           TEXT NOT NULL,
    PRIMARY KEY (subscription_id, paper_id)
) WITHOUT ROWID;
