-- One round trip: the join brings the name along; LEFT keeps guest orders.
SELECT o.id, o.created_at, c.name AS customer_name
FROM orders AS o
LEFT JOIN customers AS c ON c.id = o.customer_id
ORDER BY o.created_at DESC, o.id DESC
LIMIT 50;
