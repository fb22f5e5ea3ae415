-- The page in one query: id, created_at, customer_name of the 50 most recent orders.
-- This is only the first of the N+1 queries.
SELECT id, customer_id, created_at
FROM orders
ORDER BY created_at DESC, id DESC
LIMIT 50;
