-- A row-value comparison starts right after the cursor: SQLite SEARCHes the index on
-- (created_at, id) and reads 20 entries, wherever the page is.
SELECT id, customer_id, created_at
FROM orders
WHERE (created_at, id) > ('2025-06-30 03:53:43', 5950)
ORDER BY created_at, id
LIMIT 20;
