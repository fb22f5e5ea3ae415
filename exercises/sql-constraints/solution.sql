-- Every rule the application relies on, declared where no writer can skip it.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    owner         TEXT NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    balance_cents INTEGER NOT NULL DEFAULT 0 CHECK (balance_cents >= 0)
);

CREATE TABLE transfers (
    id           INTEGER PRIMARY KEY,
    from_account INTEGER NOT NULL REFERENCES accounts (id),
    to_account   INTEGER NOT NULL REFERENCES accounts (id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    created_at   TEXT NOT NULL,
    CHECK (from_account <> to_account)
);
