-- Add the constraints the task lists.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    owner         TEXT,
    email         TEXT,
    balance_cents INTEGER
);

CREATE TABLE transfers (
    id           INTEGER PRIMARY KEY,
    from_account INTEGER,
    to_account   INTEGER,
    amount_cents INTEGER,
    created_at   TEXT
);
