-- One index for both queries.
CREATE INDEX orders_by_created_customer ON orders (created_at, customer_id);
