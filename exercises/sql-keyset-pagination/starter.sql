-- The 20 orders after ('2025-06-30 03:53:43', 5950): id, customer_id, created_at.
SELECT id, customer_id, created_at
FROM orders
ORDER BY created_at, id
LIMIT 20 OFFSET 5950;
