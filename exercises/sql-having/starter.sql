-- Customers who spent more than $500.00 on paid or shipped orders.
SELECT o.customer_id,
       count(o.id) AS orders,
       sum(i.quantity * i.unit_price_cents) AS spent_cents
FROM orders AS o
JOIN order_items AS i ON i.order_id = o.id
WHERE o.status IN ('paid', 'shipped')
  AND i.quantity * i.unit_price_cents > 50000
GROUP BY o.customer_id
ORDER BY spent_cents DESC, o.customer_id;
