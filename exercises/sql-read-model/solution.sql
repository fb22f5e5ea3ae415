-- The read model, filled from the orders that exist, then kept in step by triggers that
-- run inside every write to orders: each order write costs one or two more row writes.
CREATE TABLE customer_stats (
    customer_id INTEGER PRIMARY KEY,
    orders      INTEGER NOT NULL,
    spent_cents INTEGER NOT NULL
);

INSERT INTO customer_stats (customer_id, orders, spent_cents)
SELECT customer_id, count(*), sum(total_cents)
FROM orders
GROUP BY customer_id;

CREATE TRIGGER customer_stats_on_insert AFTER INSERT ON orders
BEGIN
    INSERT INTO customer_stats (customer_id, orders, spent_cents)
    VALUES (NEW.customer_id, 1, NEW.total_cents)
    ON CONFLICT (customer_id) DO UPDATE
        SET orders = orders + 1, spent_cents = spent_cents + excluded.spent_cents;
END;

CREATE TRIGGER customer_stats_on_delete AFTER DELETE ON orders
BEGIN
    UPDATE customer_stats
    SET orders = orders - 1, spent_cents = spent_cents - OLD.total_cents
    WHERE customer_id = OLD.customer_id;
END;

CREATE TRIGGER customer_stats_on_update AFTER UPDATE OF customer_id, total_cents ON orders
BEGIN
    UPDATE customer_stats
    SET orders = orders - 1, spent_cents = spent_cents - OLD.total_cents
    WHERE customer_id = OLD.customer_id;
    INSERT INTO customer_stats (customer_id, orders, spent_cents)
    VALUES (NEW.customer_id, 1, NEW.total_cents)
    ON CONFLICT (customer_id) DO UPDATE
        SET orders = orders + 1, spent_cents = spent_cents + excluded.spent_cents;
END;
