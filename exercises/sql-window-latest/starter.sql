-- Each customer's latest order: customer_id, order_id, created_at.
SELECT customer_id, max(id) AS order_id, max(created_at) AS created_at
FROM orders
WHERE customer_id IS NOT NULL
GROUP BY customer_id
ORDER BY customer_id;
