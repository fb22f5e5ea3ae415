-- Every customer with their number of orders: id, name, orders.
SELECT c.id, c.name, count(*) AS orders
FROM customers AS c
JOIN orders AS o ON o.customer_id = c.id
GROUP BY c.id
ORDER BY orders DESC, c.id;
