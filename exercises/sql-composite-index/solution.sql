-- The equality column first: the index finds customer 42's entries, which are already
-- sorted by created_at, for both the ORDER BY and the range.
CREATE INDEX orders_by_customer_created ON orders (customer_id, created_at);
