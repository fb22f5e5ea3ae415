-- A LEFT JOIN keeps customers without orders; count(o.id) counts them as 0, because
-- their one joined row has a NULL o.id.
SELECT c.id, c.name, count(o.id) AS orders
FROM customers AS c
LEFT JOIN orders AS o ON o.customer_id = c.id
GROUP BY c.id, c.name
ORDER BY orders DESC, c.id;
