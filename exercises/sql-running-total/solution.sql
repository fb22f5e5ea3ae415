-- A half-open range keeps every second of March 31st and nothing of April 1st; the window
-- sums the daily totals up to each day.
WITH daily AS (
    SELECT date(o.created_at) AS day, sum(p.amount_cents) AS revenue_cents
    FROM orders AS o
    JOIN payments AS p ON p.order_id = o.id
    WHERE o.created_at >= '2025-03-01' AND o.created_at < '2025-04-01'
    GROUP BY day
)
SELECT day, revenue_cents, sum(revenue_cents) OVER (ORDER BY day) AS running_cents
FROM daily
ORDER BY day;
