-- WHERE picks the rows (paid or shipped orders of known customers); HAVING picks the groups
-- (customers whose total is over 50000 cents). DISTINCT because the join repeats each order
-- once per item.
SELECT o.customer_id,
       count(DISTINCT o.id) AS orders,
       sum(i.quantity * i.unit_price_cents) AS spent_cents
FROM orders AS o
JOIN order_items AS i ON i.order_id = o.id
WHERE o.status IN ('paid', 'shipped')
  AND o.customer_id IS NOT NULL
GROUP BY o.customer_id
HAVING sum(i.quantity * i.unit_price_cents) > 50000
ORDER BY spent_cents DESC, o.customer_id;
