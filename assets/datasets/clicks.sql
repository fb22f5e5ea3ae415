-- A URL shortener's click log, for the chapters on caching and scale: a few links get most
-- of the clicks. Times are UTC text, 'YYYY-MM-DD HH:MM:SS'.

CREATE TABLE links (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,        -- the short code in https://sho.rt/<code>
    target_url TEXT NOT NULL,
    owner      TEXT,                        -- NULL: created anonymously
    created_at TEXT NOT NULL
);

CREATE TABLE clicks (
    id         INTEGER PRIMARY KEY,
    link_id    INTEGER NOT NULL REFERENCES links (id),
    clicked_at TEXT NOT NULL,
    country    TEXT,                        -- NULL when geolocation failed
    referrer   TEXT,                        -- NULL for direct visits
    device     TEXT NOT NULL CHECK (device IN ('desktop', 'mobile', 'tablet', 'bot'))
);
