-- The shop the course uses: customers place orders of products, and pay for them.
-- Times are UTC text, 'YYYY-MM-DD HH:MM:SS', so they sort and compare as strings.
-- Only primary keys and constraints are indexed: the index exercises add the rest.

CREATE TABLE customers (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL UNIQUE,
    country    TEXT,                  -- ISO 3166 code; NULL when the customer did not say
    created_at TEXT NOT NULL
);

CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    category    TEXT NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents > 0)
);

CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER REFERENCES customers (id),   -- NULL: a guest checkout
    status      TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled', 'refunded')),
    created_at  TEXT NOT NULL
);

CREATE TABLE order_items (
    order_id         INTEGER NOT NULL REFERENCES orders (id),
    product_id       INTEGER NOT NULL REFERENCES products (id),
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents > 0),
    PRIMARY KEY (order_id, product_id)
);

CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES orders (id),
    method       TEXT NOT NULL CHECK (method IN ('card', 'paypal', 'bank_transfer')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    paid_at      TEXT                                 -- NULL: not settled yet
);
