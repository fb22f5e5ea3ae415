-- The read model: filled once. Nothing keeps it up to date yet.
CREATE TABLE customer_stats (
    customer_id INTEGER PRIMARY KEY,
    orders      INTEGER NOT NULL,
    spent_cents INTEGER NOT NULL
);

INSERT INTO customer_stats (customer_id, orders, spent_cents)
SELECT customer_id, count(*), sum(total_cents)
FROM orders
GROUP BY customer_id;
