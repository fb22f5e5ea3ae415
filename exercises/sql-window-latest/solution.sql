-- Number each customer's orders from the newest (ties broken by id) and keep the first.
WITH ranked AS (
    SELECT customer_id, id, created_at,
           row_number() OVER (
               PARTITION BY customer_id
               ORDER BY created_at DESC, id DESC
           ) AS rn
    FROM orders
    WHERE customer_id IS NOT NULL
)
SELECT customer_id, id AS order_id, created_at
FROM ranked
WHERE rn = 1
ORDER BY customer_id;
