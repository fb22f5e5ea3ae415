-- March 2025 revenue per day, with a running total: day, revenue_cents, running_cents.
WITH daily AS (
    SELECT date(o.created_at) AS day, sum(p.amount_cents) AS revenue_cents
    FROM orders AS o
    JOIN payments AS p ON p.order_id = o.id
    WHERE o.created_at BETWEEN '2025-03-01' AND '2025-03-31'
    GROUP BY day
)
SELECT day, revenue_cents, sum(revenue_cents) OVER (ORDER BY day) AS running_cents
FROM daily
ORDER BY day;
